// Loading the native library, by the rule every binding follows:
//   1. an explicit path: LicensingLibrary.Load(path), before any other use;
//   2. the environment variable LICENSING_LIBRARY (a path);
//   3. the platform loader's search for the DllImport name "licensing":
//      next to Licensing.dll, LD_LIBRARY_PATH (dlopen), the system's
//      directories.
// A path that is given but does not load is an error, not a reason to try
// the next step: loading some other copy would hide the mistake. The
// library is looked for once per process; a failure is repeated at each
// use rather than searched again.
//
// A path is applied by redirecting the DllImport name "licensing" to it:
// on .NET Core 3.0 and later with NativeLibrary.SetDllImportResolver
// (reached by reflection: this assembly targets netstandard2.0, which lacks
// it), on Mono with the runtime's global dllmap (mono_dllmap_insert).
//
// Mono binds a P/Invoke when it compiles a method that calls it, before
// that method runs. So a method that calls EnsureLoaded must not call
// NativeMethods itself: it calls EnsureLoaded, then a [NoInlining] method
// that does. Otherwise the binding of that method's P/Invokes happens
// before the redirection and uses the platform's search (or fails).
using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Licensing
{
    internal static class Loader
    {
        internal const string EnvironmentVariable = "LICENSING_LIBRARY";

        private static readonly object Lock = new object();
        private static volatile bool loaded;
        /// <summary>The full path LicensingLibrary.Load loaded; null when the library came another way.</summary>
        private static string explicitPath;
        /// <summary>How the library was found, for the message of a conflicting Load.</summary>
        private static string loadedBy;
        /// <summary>The message of the failed attempt, repeated at each use.</summary>
        private static string failure;
        private static bool failureIsMissingEntryPoint;

        /// <summary>Step 1 of the rule: LicensingLibrary.Load.</summary>
        internal static void Load(string path)
        {
            const string Source = "LicensingLibrary.Load(string)";
            if (path == null)
            {
                throw new ArgumentNullException("path");
            }
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException(Source + " was given an empty path: give the path of " + FileName(), "path");
            }
            lock (Lock)
            {
                if (loaded)
                {
                    string same = SamePathOrNull(path);
                    if (same != null && string.Equals(same, explicitPath, StringComparison.Ordinal))
                    {
                        return;
                    }
                    throw new InvalidOperationException(
                        "LicensingLibrary.Load(\"" + path + "\") came after the native library was loaded (" + loadedBy +
                        "); a process loads it once: call LicensingLibrary.Load once, at start-up, before any other use " +
                        "of the Licensing namespace");
                }
                // After a failed attempt the runtime may have bound the
                // failure already: the first attempt's answer stands.
                ThrowIfFailed();
                string full = FullPath(path, Source);
                Open(full, Source, EnvironmentVariable + " and the platform's search were not tried.");
                explicitPath = full;
                loadedBy = "from " + full + " by " + Source;
                loaded = true;
            }
        }

        /// <summary>
        /// Loads the library by steps 2 and 3 of the rule unless it is
        /// loaded; throws DllNotFoundException (or EntryPointNotFoundException
        /// for a file that is not this library) saying what was tried where
        /// and what to do. Called by every public entry point that can be the
        /// first to touch the library.
        /// </summary>
        internal static void EnsureLoaded()
        {
            if (loaded)
            {
                return;
            }
            lock (Lock)
            {
                if (loaded)
                {
                    return;
                }
                ThrowIfFailed();
                string env = Environment.GetEnvironmentVariable(EnvironmentVariable);
                if (!string.IsNullOrWhiteSpace(env))
                {
                    string source = "the environment variable " + EnvironmentVariable;
                    string full = FullPath(env, source);
                    Open(full, source, "the platform's search was not tried.");
                    loadedBy = "from " + full + " by " + source;
                }
                else
                {
                    Search();
                    loadedBy = "by the platform's search for \"" + NativeMethods.Library + "\"";
                }
                loaded = true;
            }
        }

        private static void ThrowIfFailed()
        {
            if (failure == null)
            {
                return;
            }
            if (failureIsMissingEntryPoint)
            {
                throw new EntryPointNotFoundException(failure);
            }
            throw new DllNotFoundException(failure);
        }

        private static Exception Fail(string message, bool missingEntryPoint, Exception cause)
        {
            failure = message;
            failureIsMissingEntryPoint = missingEntryPoint;
            if (missingEntryPoint)
            {
                return new EntryPointNotFoundException(message, cause);
            }
            return new DllNotFoundException(message, cause);
        }

        private static string SamePathOrNull(string path)
        {
            try
            {
                return Path.GetFullPath(path);
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>The full path of a given path; an invalid one is a failed attempt.</summary>
        private static string FullPath(string path, string source)
        {
            try
            {
                return Path.GetFullPath(path);
            }
            catch (Exception e)
            {
                if (e is ArgumentException || e is NotSupportedException || e is PathTooLongException || e is System.Security.SecurityException)
                {
                    throw Fail("the licensing native library named by " + source + " (\"" + path + "\") is not a valid path: " +
                        e.Message + "\n" + HowToFix(), false, e);
                }
                throw;
            }
        }

        /// <summary>Loads the file at <paramref name="full"/>, named by <paramref name="source"/>; nothing else is tried.</summary>
        private static void Open(string full, string source, string notTried)
        {
            string reason;
            Exception cause = null;
            bool missingEntryPoint = false;
            if (Directory.Exists(full))
            {
                reason = "it is a directory, not the library file";
            }
            else if (!File.Exists(full))
            {
                reason = "no such file";
            }
            else
            {
                string unsupported = Redirect(full);
                if (unsupported == null)
                {
                    try
                    {
                        CallVersion();
                        return;
                    }
                    catch (DllNotFoundException e)
                    {
                        cause = e;
                        string said = LoaderError(full);
                        reason = "the file exists but could not be loaded" + (said == null ? "" : " (the loader said: " + said + ")");
                    }
                    catch (EntryPointNotFoundException e)
                    {
                        cause = e;
                        missingEntryPoint = true;
                        reason = "the file was loaded but has no lic_version: it is not the licensing library, or it is too old";
                    }
                }
                else
                {
                    reason = unsupported;
                }
            }
            throw Fail("the licensing native library could not be loaded from " + full + ", the path given by " + source +
                ": " + reason + ". A path that is given is used alone: " + notTried + "\n" + HowToFix(), missingEntryPoint, cause);
        }

        /// <summary>Step 3: the platform's search for the DllImport name.</summary>
        private static void Search()
        {
            try
            {
                CallVersion();
            }
            catch (DllNotFoundException e)
            {
                throw Fail(MissingLibraryMessage(e), false, e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw Fail("the platform's search for \"" + NativeMethods.Library + "\" found a " + FileName() +
                    " without lic_version: it is not the licensing library, or it is too old (" + e.Message + ")\n" + HowToFix(),
                    true, e);
            }
        }

        // Not inlined: its P/Invoke must be bound after Redirect (see the top of this file).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CallVersion()
        {
            NativeMethods.lic_version();
        }

        /// <summary>
        /// Makes the DllImport name "licensing" resolve to <paramref name="full"/>.
        /// Null when done; else why this runtime cannot.
        /// </summary>
        private static string Redirect(string full)
        {
            // The resolver first: a Mono that has it (.NET 5+ on Mono) may lack dllmap.
            if (CoreResolver.TryInstall(full))
            {
                return null;
            }
            if (Type.GetType("Mono.Runtime") != null)
            {
                MonoRuntime.MapLibrary(NativeMethods.Library, full);
                return null;
            }
            return "this runtime (" + Environment.Version + ", neither Mono nor .NET Core 3.0 or later) cannot load a " +
                "library from a given path; put " + FileName() + " next to Licensing.dll or in a directory of " + PathVariable() +
                " and leave " + EnvironmentVariable + " unset";
        }

        private static class MonoRuntime
        {
            // The Mono runtime's own export: a global <dllmap dll=... target=.../>.
            [DllImport("__Internal", EntryPoint = "mono_dllmap_insert")]
            private static extern void mono_dllmap_insert(IntPtr assembly, string dll, string func, string tdll, string tfunc);

            internal static void MapLibrary(string name, string path)
            {
                mono_dllmap_insert(IntPtr.Zero, name, null, path, null);
            }
        }

        /// <summary>NativeLibrary.SetDllImportResolver, found by reflection (.NET Core 3.0+).</summary>
        private sealed class CoreResolver
        {
            private readonly string path;
            private readonly MethodInfo load;

            private CoreResolver(string path, MethodInfo load)
            {
                this.path = path;
                this.load = load;
            }

            internal static bool TryInstall(string path)
            {
                Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
                Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
                if (nativeLibrary == null || resolverType == null)
                {
                    return false;
                }
                MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
                MethodInfo load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
                if (set == null || load == null)
                {
                    return false;
                }
                var resolver = new CoreResolver(path, load);
                Delegate d = Delegate.CreateDelegate(resolverType, resolver, typeof(CoreResolver).GetMethod("Resolve"));
                set.Invoke(null, new object[] { typeof(Loader).Assembly, d });
                return true;
            }

            /// <summary>The DllImportResolver: the given path for "licensing", the default search for anything else.</summary>
            public IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
            {
                if (libraryName != NativeMethods.Library)
                {
                    return IntPtr.Zero;
                }
                try
                {
                    return (IntPtr)load.Invoke(null, new object[] { path });
                }
                catch (TargetInvocationException e)
                {
                    throw new DllNotFoundException(e.InnerException != null ? e.InnerException.Message : e.Message, e);
                }
            }
        }

        /// <summary>Why dlopen refuses <paramref name="path"/>, when that can be asked (Linux); else null.</summary>
        private static string LoaderError(string path)
        {
            if (Path.DirectorySeparatorChar == '\\' || IsMacOS())
            {
                return null;
            }
            try
            {
                return Dl.Error(path);
            }
            catch (Exception)
            {
                // Only a better message is lost.
                return null;
            }
        }

        private static class Dl
        {
            private const int RtldNow = 2;

            [DllImport("libdl.so.2")]
            private static extern IntPtr dlopen(string file, int mode);

            [DllImport("libdl.so.2")]
            private static extern IntPtr dlerror();

            [DllImport("libdl.so.2")]
            private static extern int dlclose(IntPtr handle);

            internal static string Error(string path)
            {
                IntPtr h = dlopen(path, RtldNow);
                if (h != IntPtr.Zero)
                {
                    dlclose(h);
                    return null;
                }
                return Interop.FromUtf8Z(dlerror());
            }
        }

        /// <summary>The message when no step found the library.</summary>
        internal static string MissingLibraryMessage(Exception cause)
        {
            string pathVariable = PathVariable();
            string searchPath = Environment.GetEnvironmentVariable(pathVariable);
            string assemblyDir = null;
            try
            {
                assemblyDir = Path.GetDirectoryName(typeof(Loader).Assembly.Location);
            }
            catch (Exception)
            {
                // Location may be unavailable (single-file apps); say nothing then.
            }
            var text = new StringBuilder();
            text.Append(FileName()).Append(", the licensing native library, was not found. Tried, in order:")
                .Append("\n  1. an explicit path: LicensingLibrary.Load(path) was not called")
                .Append("\n  2. the environment variable ").Append(EnvironmentVariable).Append(": not set")
                .Append("\n  3. the platform's search for \"").Append(NativeMethods.Library).Append("\" (file ")
                .Append(FileName()).Append(") in");
            if (!string.IsNullOrEmpty(assemblyDir))
            {
                text.Append("\n       the directory of Licensing.dll: ").Append(assemblyDir);
            }
            text.Append("\n       ").Append(pathVariable).Append(" = ")
                .Append(string.IsNullOrEmpty(searchPath) ? "(not set)" : searchPath)
                .Append("\n       the system's library directories");
            // The dynamic loader's reason says more than the runtime's message.
            string said = LoaderError(FileName());
            if (said == null && cause != null)
            {
                said = cause.Message;
            }
            if (!string.IsNullOrEmpty(said))
            {
                text.Append("\n     which failed with: ").Append(said);
            }
            text.Append("\n").Append(HowToFix());
            return text.ToString();
        }

        private static string HowToFix()
        {
            string file = FileName();
            return "To fix it: call LicensingLibrary.Load(\"/path/to/" + file + "\") at start-up, before any other use of " +
                "the Licensing namespace, or set " + EnvironmentVariable + "=/path/to/" + file + ", or copy " + file +
                " next to Licensing.dll, or add its directory to " + PathVariable() + ". The library is built from the " +
                "licensing sources with `cargo build --release`.";
        }

        internal static string FileName()
        {
            if (Path.DirectorySeparatorChar == '\\')
            {
                return "licensing.dll";
            }
            return IsMacOS() ? "liblicensing.dylib" : "liblicensing.so";
        }

        internal static string PathVariable()
        {
            if (Path.DirectorySeparatorChar == '\\')
            {
                return "PATH";
            }
            return IsMacOS() ? "DYLD_LIBRARY_PATH" : "LD_LIBRARY_PATH";
        }

        private static bool IsMacOS()
        {
            if (Environment.OSVersion.Platform == PlatformID.MacOSX)
            {
                return true;
            }
            // Mono and .NET report Unix on macOS.
            return Environment.OSVersion.Platform == PlatformID.Unix &&
                   Directory.Exists("/System/Library/CoreServices");
        }
    }
}
