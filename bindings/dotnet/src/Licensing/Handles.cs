using System;
using System.Runtime.InteropServices;

namespace Licensing
{
    /// <summary>Owns a lic_validator; released with lic_validator_free.</summary>
    internal sealed class ValidatorHandle : SafeHandle
    {
        public ValidatorHandle()
            : base(IntPtr.Zero, true)
        {
        }

        internal ValidatorHandle(IntPtr raw)
            : base(IntPtr.Zero, true)
        {
            SetHandle(raw);
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.lic_validator_free(handle);
            return true;
        }
    }

    /// <summary>Owns a lic_license; released with lic_license_free.</summary>
    internal sealed class LicenseHandle : SafeHandle
    {
        public LicenseHandle()
            : base(IntPtr.Zero, true)
        {
        }

        internal LicenseHandle(IntPtr raw)
            : base(IntPtr.Zero, true)
        {
            SetHandle(raw);
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.lic_license_free(handle);
            return true;
        }
    }

    /// <summary>Owns a lic_store; released with lic_store_free.</summary>
    internal sealed class StoreHandle : SafeHandle
    {
        public StoreHandle()
            : base(IntPtr.Zero, true)
        {
        }

        internal StoreHandle(IntPtr raw)
            : base(IntPtr.Zero, true)
        {
            SetHandle(raw);
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.lic_store_free(handle);
            return true;
        }
    }

    /// <summary>Owns a lic_status; released with lic_status_free.</summary>
    internal sealed class StatusHandle : SafeHandle
    {
        public StatusHandle()
            : base(IntPtr.Zero, true)
        {
        }

        internal StatusHandle(IntPtr raw)
            : base(IntPtr.Zero, true)
        {
            SetHandle(raw);
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.lic_status_free(handle);
            return true;
        }
    }
}
