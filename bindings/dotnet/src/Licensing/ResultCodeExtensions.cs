using System.Runtime.CompilerServices;

namespace Licensing
{
    /// <summary>
    /// What kind of failure a <see cref="ResultCode"/> is, as the native
    /// library classifies it (lic_result_is_*): the same answer in every
    /// binding, and no numeric ranges to keep in step with the header. A code
    /// is of at most one kind; Ok and the answers of lookups and of the store
    /// (NoSuchLimit, NeverExpires, NoLicense, Downgrade, NoBackup,
    /// ClockResetUsed) are of none, and so is Panic (a bug in the library).
    /// </summary>
    public static class ResultCodeExtensions
    {
        /// <summary>
        /// Whether the license is not valid here (malformed, untrusted,
        /// altered, for another activation code or serial, not yet valid,
        /// expired): show the message to an administrator, who acts on it.
        /// </summary>
        public static bool IsLicenseInvalid(this ResultCode code)
        {
            Loader.EnsureLoaded();
            return Native.IsLicenseInvalid((uint)code);
        }

        /// <summary>
        /// Whether the caller misused the API (a null or non-UTF-8 argument,
        /// a too-small buffer, an index out of range, a malformed serial
        /// number, activation code, platform version, environment name,
        /// purpose or key list): a bug in the calling code.
        /// </summary>
        public static bool IsMisuse(this ResultCode code)
        {
            Loader.EnsureLoaded();
            return Native.IsMisuse((uint)code);
        }

        /// <summary>
        /// Whether it is a problem of the machine rather than of the license
        /// or the call (no hardware identity, a store file that cannot be
        /// read or written, a damaged state file, a directory that holds no
        /// store, a usage summary damaged or of another infrastructure): an
        /// operator fixes it.
        /// </summary>
        public static bool IsEnvironment(this ResultCode code)
        {
            Loader.EnsureLoaded();
            return Native.IsEnvironment((uint)code);
        }

        // The P/Invokes apart from EnsureLoaded, not inlined (see Loader.cs).
        private static class Native
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static bool IsLicenseInvalid(uint code)
            {
                return NativeMethods.lic_result_is_license_invalid(code);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static bool IsMisuse(uint code)
            {
                return NativeMethods.lic_result_is_misuse(code);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static bool IsEnvironment(uint code)
            {
                return NativeMethods.lic_result_is_environment(code);
            }
        }
    }
}
