using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Licensing
{
    /// <summary>
    /// A license that passed validation (lic_license). Immutable; safe to
    /// read from many threads. Dispose it to free the native license.
    /// </summary>
    public sealed class License : IDisposable
    {
        private readonly LicenseHandle handle;

        internal License(LicenseHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>Active, expiring soon or in grace.</summary>
        public State State
        {
            get
            {
                uint state, daysLeft;
                Interop.Check(NativeMethods.lic_license_state(Handle, out state, out daysLeft));
                return (State)state;
            }
        }

        /// <summary>
        /// Days left when the license was validated, with one meaning in
        /// every binding (lic_license_days_left): until it expires (Active,
        /// ExpiringSoon) or until its grace period ends (InGrace); null for
        /// a license that never expires. <see cref="Licensing.Status.DaysLeft"/>
        /// means the same for the environment a store judges.
        /// </summary>
        public int? DaysLeft
        {
            get
            {
                uint days;
                return Interop.DaysLeft(NativeMethods.lic_license_days_left(Handle, out days), days);
            }
        }

        /// <summary>
        /// Whether the license grants the feature. A name no license can
        /// hold (one with a NUL character or an unpaired surrogate) is not
        /// granted: false.
        /// </summary>
        public bool HasFeature(string feature)
        {
            if (feature == null)
            {
                throw new ArgumentNullException("feature");
            }
            LicenseHandle h = Handle;
            byte[] name = Interop.ToUtf8(feature);
            if (name == null)
            {
                return false;
            }
            return NativeMethods.lic_license_has_feature_n(h, name, (UIntPtr)name.Length);
        }

        /// <summary>
        /// The value of the limit; null when the license sets no such limit
        /// (so for a name with a NUL character or an unpaired surrogate).
        /// </summary>
        public ulong? Limit(string name)
        {
            LicenseHandle h = Handle;
            byte[] bytes = NameBytes(name);
            if (bytes == null)
            {
                return null;
            }
            ulong value;
            uint rc = NativeMethods.lic_license_limit_n(h, bytes, (UIntPtr)bytes.Length, out value);
            if (rc == (uint)ResultCode.NoSuchLimit)
            {
                return null;
            }
            Interop.Check(rc);
            return value;
        }

        /// <summary>
        /// Whether going over the limit blocks (hard) or warns (soft); null
        /// when the license sets no such limit (so for a name with a NUL
        /// character or an unpaired surrogate).
        /// </summary>
        public Enforcement? LimitEnforcement(string name)
        {
            LicenseHandle h = Handle;
            byte[] bytes = NameBytes(name);
            if (bytes == null)
            {
                return null;
            }
            uint value;
            uint rc = NativeMethods.lic_license_limit_enforcement_n(h, bytes, (UIntPtr)bytes.Length, out value);
            if (rc == (uint)ResultCode.NoSuchLimit)
            {
                return null;
            }
            Interop.Check(rc);
            return (Enforcement)value;
        }

        /// <summary>
        /// How <paramref name="usage"/> compares with the limit (Unlimited
        /// when the license sets none, so for a name with a NUL character or
        /// an unpaired surrogate).
        /// </summary>
        public Usage CheckUsage(string name, ulong usage)
        {
            LicenseHandle h = Handle;
            byte[] bytes = NameBytes(name);
            if (bytes == null)
            {
                return Usage.Unlimited;
            }
            uint value;
            Interop.Check(NativeMethods.lic_license_check_usage_n(h, bytes, (UIntPtr)bytes.Length, usage, out value));
            return (Usage)value;
        }

        /// <summary>When the license expires (the first second after its end date); null when it never does.</summary>
        public DateTimeOffset? ExpiresAt
        {
            get
            {
                long t;
                uint rc = NativeMethods.lic_license_expires_at(Handle, out t);
                if (rc == (uint)ResultCode.NeverExpires)
                {
                    return null;
                }
                Interop.Check(rc);
                return DateTimeOffset.FromUnixTimeSeconds(t);
            }
        }

        /// <summary>When the license was issued.</summary>
        public DateTimeOffset IssuedAt
        {
            get
            {
                long t;
                Interop.Check(NativeMethods.lic_license_issued_at(Handle, out t));
                return DateTimeOffset.FromUnixTimeSeconds(t);
            }
        }

        /// <summary>The subscription's revision when the license was issued.</summary>
        public uint Revision
        {
            get
            {
                uint value;
                Interop.Check(NativeMethods.lic_license_revision(Handle, out value));
                return value;
            }
        }

        /// <summary>Development or production.</summary>
        public LicenseType LicenseType
        {
            get
            {
                uint value;
                Interop.Check(NativeMethods.lic_license_type(Handle, out value));
                return (LicenseType)value;
            }
        }

        /// <summary>What the licensed environment is for.</summary>
        public Purpose Purpose
        {
            get
            {
                uint value;
                Interop.Check(NativeMethods.lic_license_purpose(Handle, out value));
                return (Purpose)value;
            }
        }

        /// <summary>The features granted, in sorted order.</summary>
        public IReadOnlyList<string> Features
        {
            get
            {
                LicenseHandle h = Handle;
                UIntPtr count;
                Interop.Check(NativeMethods.lic_license_feature_count(h, out count));
                var names = new List<string>();
                for (ulong i = 0; i < count.ToUInt64(); i++)
                {
                    UIntPtr index = (UIntPtr)i;
                    names.Add(Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                        NativeMethods.lic_license_feature_at(h, index, b, l, out w)));
                }
                return new ReadOnlyCollection<string>(names);
            }
        }

        /// <summary>The limits set, by name.</summary>
        public IReadOnlyDictionary<string, ulong> Limits
        {
            get
            {
                LicenseHandle h = Handle;
                UIntPtr count;
                Interop.Check(NativeMethods.lic_license_limit_count(h, out count));
                var limits = new Dictionary<string, ulong>(StringComparer.Ordinal);
                for (ulong i = 0; i < count.ToUInt64(); i++)
                {
                    UIntPtr index = (UIntPtr)i;
                    string name = Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                        NativeMethods.lic_license_limit_at(h, index, b, l, out w));
                    byte[] bytes = Interop.ToUtf8(name);
                    ulong value;
                    Interop.Check(NativeMethods.lic_license_limit_n(h, bytes, (UIntPtr)bytes.Length, out value));
                    limits.Add(name, value);
                }
                return new ReadOnlyDictionary<string, ulong>(limits);
            }
        }

        /// <summary>The activation code, like 7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5.</summary>
        public string ActivationCode
        {
            get { return GetString(NativeMethods.lic_license_activation_code); }
        }

        /// <summary>The serial number the license is bound to.</summary>
        public string SerialNumber
        {
            get { return GetString(NativeMethods.lic_license_serial_number); }
        }

        /// <summary>The customer's organization.</summary>
        public string Organization
        {
            get { return GetString(NativeMethods.lic_license_organization); }
        }

        /// <summary>The edition, like Enterprise.</summary>
        public string Edition
        {
            get { return GetString(NativeMethods.lic_license_edition); }
        }

        /// <summary>The support level, like premium.</summary>
        public string Support
        {
            get { return GetString(NativeMethods.lic_license_support); }
        }

        /// <summary>The environment's name, like Production.</summary>
        public string EnvironmentName
        {
            get { return GetString(NativeMethods.lic_license_environment_name); }
        }

        /// <summary>The license id: 32 hex digits.</summary>
        public string LicenseId
        {
            get { return GetString(NativeMethods.lic_license_id); }
        }

        private delegate uint HandleStringGetter(LicenseHandle license, byte[] buf, UIntPtr len, out UIntPtr written);

        private string GetString(HandleStringGetter getter)
        {
            LicenseHandle h = Handle;
            return Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) => getter(h, b, l, out w));
        }

        /// <summary>
        /// <paramref name="name"/> as UTF-8 for the _n lookups (a NUL in it
        /// is just a byte of the name); null when it has an unpaired
        /// surrogate, which no license can hold: the lookups then answer
        /// "absent" (null, or Usage.Unlimited) without asking the library.
        /// </summary>
        private static byte[] NameBytes(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            return Interop.ToUtf8(name);
        }

        // Internal: the tests compare the _n lookups with the NUL-terminated ones.
        internal LicenseHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException("License");
                }
                return handle;
            }
        }

        /// <summary>Frees the native license. Safe to call more than once.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
