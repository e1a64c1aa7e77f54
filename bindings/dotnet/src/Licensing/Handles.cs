using System;
using System.Runtime.InteropServices;

namespace Licensing
{
    /// <summary>
    /// Owns one handle of the C ABI (NULL is invalid) and releases it exactly
    /// once with the matching <c>_free</c>, even if the wrapper is never disposed.
    /// </summary>
    internal abstract class NativeHandle : SafeHandle
    {
        protected NativeHandle(IntPtr raw)
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
            Free(handle);
            return true;
        }

        /// <summary>The C ABI's <c>_free</c> for this kind of handle.</summary>
        protected abstract void Free(IntPtr raw);
    }

    /// <summary>Owns a lic_validator; released with lic_validator_free.</summary>
    internal sealed class ValidatorHandle : NativeHandle
    {
        public ValidatorHandle() : base(IntPtr.Zero) { }
        internal ValidatorHandle(IntPtr raw) : base(raw) { }
        protected override void Free(IntPtr raw) { NativeMethods.lic_validator_free(raw); }
    }

    /// <summary>Owns a lic_license; released with lic_license_free.</summary>
    internal sealed class LicenseHandle : NativeHandle
    {
        public LicenseHandle() : base(IntPtr.Zero) { }
        internal LicenseHandle(IntPtr raw) : base(raw) { }
        protected override void Free(IntPtr raw) { NativeMethods.lic_license_free(raw); }
    }

    /// <summary>Owns a lic_store; released with lic_store_free.</summary>
    internal sealed class StoreHandle : NativeHandle
    {
        public StoreHandle() : base(IntPtr.Zero) { }
        internal StoreHandle(IntPtr raw) : base(raw) { }
        protected override void Free(IntPtr raw) { NativeMethods.lic_store_free(raw); }
    }

    /// <summary>Owns a lic_status; released with lic_status_free.</summary>
    internal sealed class StatusHandle : NativeHandle
    {
        public StatusHandle() : base(IntPtr.Zero) { }
        internal StatusHandle(IntPtr raw) : base(raw) { }
        protected override void Free(IntPtr raw) { NativeMethods.lic_status_free(raw); }
    }
}
