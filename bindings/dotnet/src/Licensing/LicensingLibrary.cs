using System;
using System.Runtime.CompilerServices;

namespace Licensing
{
    /// <summary>
    /// The native library as a whole: where it is loaded from, its version,
    /// this machine's serial number, where licenses come from in its messages. (Not named "Licensing": a class named
    /// like its namespace cannot be reached as Licensing.X from code outside
    /// the namespace.)
    /// </summary>
    /// <remarks>
    /// The library is found by one rule, the same in every binding: the path
    /// given to <see cref="Load"/>; else the path in the environment variable
    /// LICENSING_LIBRARY; else the platform's search for "licensing"
    /// (liblicensing.so next to Licensing.dll, in the directories of
    /// LD_LIBRARY_PATH, in the system's directories). A path that is given
    /// is used alone. The first use of the Licensing namespace loads it; when
    /// nothing loads, a DllNotFoundException says what was tried where and
    /// what to do.
    /// </remarks>
    public static class LicensingLibrary
    {
        /// <summary>
        /// Loads the native library from <paramref name="path"/> (a file like
        /// /opt/acme/lib/liblicensing.so), ahead of LICENSING_LIBRARY and the
        /// platform's search. Call it once, at start-up, before any other use
        /// of the Licensing namespace; calling it again with the same path
        /// does nothing.
        /// </summary>
        /// <exception cref="DllNotFoundException">The file is missing or is not a loadable library (or an
        /// earlier use already failed to load the library: a process looks for it once, and that failure is
        /// repeated).</exception>
        /// <exception cref="EntryPointNotFoundException">The file loaded but is not the licensing library.</exception>
        /// <exception cref="InvalidOperationException">The library is already loaded from elsewhere.</exception>
        public static void Load(string path)
        {
            Loader.Load(path);
        }

        /// <summary>The native library's version, like "0.1.0".</summary>
        public static string Version
        {
            get
            {
                Loader.EnsureLoaded();
                return Native.Version();
            }
        }

        /// <summary>
        /// Sets, for the whole process, where licenses come from as the
        /// library's messages (the last error, status warnings) say it: a noun
        /// phrase that reads after "from", like "the Acme customer portal"
        /// (a message then ends "get it again from the Acme customer portal").
        /// Null or "" brings back the default, "your vendor". Call it once, at
        /// start-up: it applies to every thread.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="text"/> contains a NUL character or a lone surrogate.</exception>
        /// <exception cref="LicensingException">The library refused the text.</exception>
        public static void SetLicenseSource(string text)
        {
            byte[] z = Interop.ToUtf8Z(text, "text");
            Loader.EnsureLoaded();
            Native.SetLicenseSource(z);
        }

        /// <summary>
        /// This environment's serial number: from the pinned identity in
        /// LICENSING_IDENTITY / LICENSING_IDENTITY_FILE, else this machine's
        /// hardware as it is now. <see cref="Store.SerialNumber"/> gives the
        /// serial a store keeps through a minority of hardware changes.
        /// Throws LicensingException (NoHardwareIdentity) when there is none.
        /// </summary>
        public static string SerialNumberThisMachine()
        {
            Loader.EnsureLoaded();
            return Native.SerialNumberThisMachine();
        }

        /// <summary>The library's fixed description of a result code.</summary>
        public static string ResultMessage(ResultCode code)
        {
            Loader.EnsureLoaded();
            return Native.ResultMessage(code);
        }

        // The P/Invokes apart from EnsureLoaded, not inlined (see Loader.cs).
        private static class Native
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static string Version()
            {
                return Interop.FromUtf8Z(NativeMethods.lic_version());
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static void SetLicenseSource(byte[] text)
            {
                Interop.Check(NativeMethods.lic_set_license_source(text));
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static string SerialNumberThisMachine()
            {
                return Interop.ReadString(NativeMethods.lic_serial_number_this_machine);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static string ResultMessage(ResultCode code)
            {
                return Interop.ResultMessage((uint)code);
            }
        }
    }
}
