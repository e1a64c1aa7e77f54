namespace Licensing
{
    /// <summary>
    /// What the native library tells without a validator. (Not named
    /// "Licensing": a class named like its namespace cannot be reached as
    /// Licensing.X from code outside the namespace.)
    /// </summary>
    public static class LicensingLibrary
    {
        /// <summary>The native library's version, like "0.1.0".</summary>
        public static string Version
        {
            get
            {
                Interop.EnsureLoaded();
                return Interop.FromUtf8Z(NativeMethods.lic_version());
            }
        }

        /// <summary>
        /// This environment's serial number (from LICENSING_IDENTITY /
        /// LICENSING_IDENTITY_FILE when set, else this machine's hardware).
        /// Throws LicensingException (NoHardwareIdentity) when there is none.
        /// </summary>
        public static string SerialNumberThisMachine()
        {
            Interop.EnsureLoaded();
            return Interop.ReadString(NativeMethods.lic_serial_number_this_machine);
        }

        /// <summary>The library's fixed description of a result code.</summary>
        public static string ResultMessage(ResultCode code)
        {
            Interop.EnsureLoaded();
            return Interop.ResultMessage((uint)code);
        }
    }
}
