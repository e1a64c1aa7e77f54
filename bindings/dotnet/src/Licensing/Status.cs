using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Licensing
{
    /// <summary>
    /// A licensing status from <see cref="Store.Status"/> (lic_status): where
    /// the environment stands, the warnings to show and what it may do.
    /// Immutable.
    /// </summary>
    public sealed class Status : IDisposable
    {
        private readonly StatusHandle handle;
        private readonly object licenseLock = new object();
        private bool licenseRead;
        private License license;

        internal Status(StatusHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>Where the environment stands (see <see cref="DaysLeft"/> for how long).</summary>
        public Standing Standing
        {
            get
            {
                uint standing, days;
                Interop.Check(NativeMethods.lic_status_standing(Handle, out standing, out days));
                return (Standing)standing;
            }
        }

        /// <summary>
        /// Days left, with one meaning in every binding: until the license
        /// expires (Active, ExpiringSoon), until its grace period ends
        /// (InGrace), until the trial ends (Trial); 0 when Expired, Invalid
        /// or TrialOver; null for a license that never expires. The same as
        /// <see cref="Licensing.License.DaysLeft"/> while licensed.
        /// </summary>
        public int? DaysLeft
        {
            get
            {
                uint days;
                return Interop.DaysLeft(NativeMethods.lic_status_days_left(Handle, out days), days);
            }
        }

        /// <summary>May the environment run applications?</summary>
        public bool MayRun
        {
            get { return NativeMethods.lic_status_may_run(Handle); }
        }

        /// <summary>May new applications be published? (Not when a hard limit is exceeded.)</summary>
        public bool MayPublish
        {
            get { return NativeMethods.lic_status_may_publish(Handle); }
        }

        /// <summary>May administrators work? (Always, so a license can be installed.)</summary>
        public bool MayAdminister
        {
            get { return NativeMethods.lic_status_may_administer(Handle); }
        }

        /// <summary>
        /// When the status judged the license: the clock (or the time given
        /// to <see cref="Store.Status"/>), or the latest time the store had
        /// seen when the clock was turned back.
        /// </summary>
        public DateTimeOffset JudgedAt
        {
            get
            {
                long t;
                Interop.Check(NativeMethods.lic_status_judged_at(Handle, out t));
                return DateTimeOffset.FromUnixTimeSeconds(t);
            }
        }

        /// <summary>Why the environment may or may not run applications, like "licensed" or "the trial is over and no license is installed".</summary>
        public string RunReason
        {
            get { return Read(NativeMethods.lic_status_run_reason); }
        }

        /// <summary>Why new applications may or may not be published, like "over a hard limit: application-objects 451/450".</summary>
        public string PublishReason
        {
            get { return Read(NativeMethods.lic_status_publish_reason); }
        }

        /// <summary>Why administrators may work (always: to install a license).</summary>
        public string AdministerReason
        {
            get { return Read(NativeMethods.lic_status_administer_reason); }
        }

        private delegate uint StatusStringGetter(StatusHandle status, byte[] buf, UIntPtr len, out UIntPtr written);

        private string Read(StatusStringGetter getter)
        {
            StatusHandle h = Handle;
            return Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) => getter(h, b, l, out w));
        }

        /// <summary>The warnings in words, like "this license expires within 12 days: renew the subscription".</summary>
        public IReadOnlyList<string> Warnings
        {
            get
            {
                StatusHandle h = Handle;
                UIntPtr count;
                Interop.Check(NativeMethods.lic_status_warning_count(h, out count));
                var warnings = new List<string>();
                for (ulong i = 0; i < count.ToUInt64(); i++)
                {
                    UIntPtr index = (UIntPtr)i;
                    warnings.Add(Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                        NativeMethods.lic_status_warning_at(h, index, b, l, out w)));
                }
                return new ReadOnlyCollection<string>(warnings);
            }
        }

        /// <summary>
        /// The valid license the status is based on; null on the trial or
        /// when the installed license is not valid (expired, wrong serial...).
        /// Owned by this status: disposed with it.
        /// </summary>
        public License License
        {
            get
            {
                StatusHandle h = Handle;
                lock (licenseLock)
                {
                    if (!licenseRead)
                    {
                        IntPtr raw;
                        uint rc = NativeMethods.lic_status_license(h, out raw);
                        if (rc == (uint)ResultCode.Ok)
                        {
                            license = new License(new LicenseHandle(raw));
                        }
                        else if (rc != (uint)ResultCode.NoLicense)
                        {
                            throw Interop.Failure(rc);
                        }
                        licenseRead = true;
                    }
                    return license;
                }
            }
        }

        private StatusHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException("Status");
                }
                return handle;
            }
        }

        /// <summary>Frees the native status and its License. Safe to call more than once.</summary>
        public void Dispose()
        {
            lock (licenseLock)
            {
                if (license != null)
                {
                    license.Dispose();
                }
            }
            handle.Dispose();
        }
    }
}
