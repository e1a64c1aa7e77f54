using System;
using System.Collections.Generic;

namespace Licensing
{
    /// <summary>
    /// A license that passed validation (lic_license). Immutable; safe to
    /// read from many threads. Dispose it to free the native license.
    /// </summary>
    public sealed class License : IDisposable
    {
        private readonly LicenseHandle handle;
        /// <summary>
        /// The features and limits (null until the first lookup): read from
        /// the library, or taken from the process's cache by verification
        /// number (LicenseData.cs), once.
        /// </summary>
        private volatile LicenseData data;

        internal License(LicenseHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>The features and limits; throws ObjectDisposedException once disposed.</summary>
        private LicenseData Data
        {
            get
            {
                LicenseData d = data;
                if (d == null || handle.IsClosed)
                {
                    return LoadData();
                }
                return d;
            }
        }

        private LicenseData LoadData()
        {
            LicenseData d = LicenseData.Of(Handle);
            data = d;
            return d;
        }

        /// <summary>
        /// The number of this license's verification
        /// (lic_license_verification_id): the same for every License of the
        /// same bytes validated by the same validator; the key of the
        /// features and limits read once.
        /// </summary>
        internal ulong VerificationId
        {
            get
            {
                ulong id;
                Interop.Check(NativeMethods.lic_license_verification_id(Handle, out id));
                return id;
            }
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
        /// Whether the license grants the feature (answered from the
        /// features read once per verification, see <see cref="Features"/>).
        /// A name no license can hold (one with a NUL character or an
        /// unpaired surrogate) is not granted: false.
        /// </summary>
        public bool HasFeature(string feature)
        {
            if (feature == null)
            {
                throw new ArgumentNullException("feature");
            }
            return Data.FeatureSet.Contains(feature);
        }

        /// <summary>
        /// The value of the limit; null when the license sets no such limit
        /// (so for a name with a NUL character or an unpaired surrogate).
        /// </summary>
        public ulong? Limit(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            LimitBounds bounds;
            if (Data.Bounds.TryGetValue(name, out bounds))
            {
                return bounds.Value;
            }
            return null;
        }

        /// <summary>
        /// Whether going over the limit blocks (hard) or warns (soft); null
        /// when the license sets no such limit (so for a name with a NUL
        /// character or an unpaired surrogate).
        /// </summary>
        public Enforcement? LimitEnforcement(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            LimitBounds bounds;
            if (Data.Bounds.TryGetValue(name, out bounds))
            {
                return bounds.Enforcement;
            }
            return null;
        }

        /// <summary>
        /// How <paramref name="usage"/> compares with the limit (Unlimited
        /// when the license sets none, so for a name with a NUL character or
        /// an unpaired surrogate). The library's rule, applied by two
        /// comparisons with the bounds it gave for the limit
        /// (lic_license_limit_bounds_at): over the limit (OverHardLimit or
        /// OverSoftLimit, by its enforcement) above the value, else Near from
        /// the library's near_from, else Within.
        /// </summary>
        public Usage CheckUsage(string name, ulong usage)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            LimitBounds bounds;
            if (!Data.Bounds.TryGetValue(name, out bounds))
            {
                return Usage.Unlimited;
            }
            if (usage > bounds.Value)
            {
                return bounds.Over;
            }
            return usage >= bounds.NearFrom ? Usage.Near : Usage.Within;
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

        /// <summary>
        /// The features granted, in sorted order: an immutable list, read
        /// from the library once per verification (the same bytes validated
        /// again by the same validator share it).
        /// </summary>
        public IReadOnlyList<string> Features
        {
            get { return Data.Features; }
        }

        /// <summary>
        /// The limits set, by name (in sorted order when enumerated): an
        /// immutable dictionary, read once per verification like
        /// <see cref="Features"/>.
        /// </summary>
        public IReadOnlyDictionary<string, ulong> Limits
        {
            get { return Data.Limits; }
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

        // Internal: LicenseData reads through it, and the tests ask the C ABI directly.
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
