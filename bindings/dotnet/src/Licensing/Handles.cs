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
        /// <summary>
        /// The anchor callbacks of a store made by lic_store_with_anchor
        /// (null otherwise): the native store calls their delegates until it
        /// is freed, so the handle, which a P/Invoke keeps alive for the
        /// length of the call even when its Store is no longer referenced,
        /// keeps them alive too.
        /// </summary>
        private readonly AnchorCallbacks anchor;

        public StoreHandle() : base(IntPtr.Zero) { }
        internal StoreHandle(IntPtr raw) : base(raw) { }
        internal StoreHandle(IntPtr raw, AnchorCallbacks anchor) : base(raw) { this.anchor = anchor; }
        protected override void Free(IntPtr raw)
        {
            NativeMethods.lic_store_free(raw);
            GC.KeepAlive(anchor);
        }
    }

    /// <summary>Owns a lic_status; released with lic_status_free.</summary>
    internal sealed class StatusHandle : NativeHandle
    {
        public StatusHandle() : base(IntPtr.Zero) { }
        internal StatusHandle(IntPtr raw) : base(raw) { }
        protected override void Free(IntPtr raw) { NativeMethods.lic_status_free(raw); }
    }
}
