// The loading rule, the same in every binding: LicensingLibrary.Load(path),
// else LICENSING_LIBRARY, else the platform's search (next to
// Licensing.dll, LD_LIBRARY_PATH, the system's directories); a path that is
// given is used alone; a failure says what was tried where and what to do.
// A process loads the library once, so each case runs probe/LoadingProbe.exe
// (built by test.sh next to Licensing.dll, where liblicensing.so is not) in
// a child process with its own environment, and reads which library file
// the child mapped.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class LoadingTests
    {
        private string work;
        private string nowhere;

        [SetUp]
        public void SetUp()
        {
            work = Path.Combine(Path.GetTempPath(), "licensing-dotnet-loading-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            nowhere = Path.Combine(work, "no-library-here");
            Directory.CreateDirectory(nowhere);
        }

        [TearDown]
        public void TearDown()
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, true);
            }
        }

        /// <summary>The liblicensing.so cargo built: $LICENSING_DOTNET_NATIVE_LIBRARY (test.sh sets it).</summary>
        private static string NativeLibrary()
        {
            string path = Environment.GetEnvironmentVariable("LICENSING_DOTNET_NATIVE_LIBRARY");
            Assert.IsFalse(string.IsNullOrEmpty(path),
                "LICENSING_DOTNET_NATIVE_LIBRARY is not set: run the tests with bindings/dotnet/test.sh, which sets it to the library cargo built");
            Assert.IsTrue(File.Exists(path), "LICENSING_DOTNET_NATIVE_LIBRARY names " + path + ", which does not exist: run cargo build");
            return path;
        }

        private static string ProbePath()
        {
            string fromEnv = Environment.GetEnvironmentVariable("LICENSING_DOTNET_PROBE");
            string probe = !string.IsNullOrEmpty(fromEnv)
                ? fromEnv
                : Path.Combine(Path.GetDirectoryName(typeof(LoadingTests).Assembly.Location), "LoadingProbe.exe");
            Assert.IsTrue(File.Exists(probe), "the probe is built by test.sh: " + probe + " is missing");
            return probe;
        }

        private static string Runtime()
        {
            // The runtime running these tests (mono here); "mono" from PATH otherwise.
            string self = Process.GetCurrentProcess().MainModule.FileName;
            return Path.GetFileName(self).StartsWith("mono", StringComparison.Ordinal) ? self : "mono";
        }

        /// <summary>A copy of the native library at work/<paramref name="relative"/>, under a name the platform's search would not find.</summary>
        private string CopyOfLibrary(string relative)
        {
            string path = Path.Combine(work, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.Copy(NativeLibrary(), path);
            return path;
        }

        private sealed class ProbeRun
        {
            public int ExitCode;
            public string Output;
            public List<string> Mapped;

            public override string ToString()
            {
                return "probe exit " + ExitCode + ", output:\n" + Output;
            }
        }

        /// <summary>
        /// Runs the probe with LD_LIBRARY_PATH set to a directory without the
        /// library and LICENSING_LIBRARY unset, then <paramref name="env"/>
        /// applied (a null value unsets).
        /// </summary>
        private ProbeRun Probe(Dictionary<string, string> env, string probe = null, params string[] args)
        {
            probe = probe ?? ProbePath();
            var start = new ProcessStartInfo(Runtime(), "\"" + probe + "\" " + string.Join(" ", args.Select(a => "\"" + a + "\"")))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = work,
            };
            start.EnvironmentVariables["LD_LIBRARY_PATH"] = nowhere;
            start.EnvironmentVariables.Remove("LICENSING_LIBRARY");
            start.EnvironmentVariables.Remove("MONO_PATH");
            if (env != null)
            {
                foreach (var pair in env)
                {
                    if (pair.Value == null)
                    {
                        start.EnvironmentVariables.Remove(pair.Key);
                    }
                    else
                    {
                        start.EnvironmentVariables[pair.Key] = pair.Value;
                    }
                }
            }
            using (Process process = Process.Start(start))
            {
                var errors = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                Assert.IsTrue(process.WaitForExit(120000), "the probe did not end within 2 minutes");
                output += errors.Result;
                return new ProbeRun
                {
                    ExitCode = process.ExitCode,
                    Output = output,
                    Mapped = output.Split('\n').Where(l => l.StartsWith("MAPPED ", StringComparison.Ordinal))
                        .Select(l => l.Substring("MAPPED ".Length).Trim()).ToList(),
                };
            }
        }

        private static Dictionary<string, string> Env(params string[] pairs)
        {
            var env = new Dictionary<string, string>();
            for (int i = 0; i < pairs.Length; i += 2)
            {
                env[pairs[i]] = pairs[i + 1];
            }
            return env;
        }

        private static void AssertLoadedFrom(string expected, ProbeRun run)
        {
            Assert.AreEqual(0, run.ExitCode, "expected the library to load from " + expected + "; " + run);
            CollectionAssert.AreEqual(new[] { expected }, run.Mapped, "the library file the process mapped; " + run);
        }

        [Test]
        public void WithoutTheLibraryTheErrorSaysWhatWasTriedWhereAndWhatToDo()
        {
            ProbeRun run = Probe(null);
            Assert.AreEqual(10, run.ExitCode, "expected DllNotFoundException; " + run);
            StringAssert.Contains("liblicensing.so", run.Output, "names the file");
            StringAssert.Contains("LicensingLibrary.Load(path) was not called", run.Output, "step 1");
            StringAssert.Contains("LICENSING_LIBRARY: not set", run.Output, "step 2");
            StringAssert.Contains("LD_LIBRARY_PATH = " + nowhere, run.Output, "step 3, where it looked");
            StringAssert.Contains(Path.GetDirectoryName(ProbePath()), run.Output, "says it looked next to Licensing.dll");
            StringAssert.Contains("To fix it: call LicensingLibrary.Load(", run.Output, "says what to do");
            StringAssert.Contains("set LICENSING_LIBRARY=", run.Output, "says what to do");
            StringAssert.Contains("cargo build", run.Output, "says how the library is made");
            StringAssert.Contains("which failed with: liblicensing.so: cannot open shared object file", run.Output,
                "the dynamic loader's reason");
            StringAssert.Contains("AGAIN: the same DllNotFoundException", run.Output, "a later use repeats the failure");
        }

        [Test]
        public void LicensingLibraryNamesTheFileToLoad()
        {
            // Not next to Licensing.dll, not on LD_LIBRARY_PATH, not a name the search knows.
            string copy = CopyOfLibrary("elsewhere/liblicensing-from-variable.so");
            AssertLoadedFrom(copy, Probe(Env("LICENSING_LIBRARY", copy)));
        }

        [Test]
        public void LicensingLibraryComesBeforeLdLibraryPath()
        {
            string copy = CopyOfLibrary("elsewhere/liblicensing-from-variable.so");
            string onPath = CopyOfLibrary("ld/liblicensing.so");
            AssertLoadedFrom(copy, Probe(Env("LICENSING_LIBRARY", copy, "LD_LIBRARY_PATH", Path.GetDirectoryName(onPath))));
        }

        [Test]
        public void AMissingFileInLicensingLibraryIsAnErrorNotAFallback()
        {
            string missing = Path.Combine(work, "missing", "liblicensing.so");
            string onPath = CopyOfLibrary("ld/liblicensing.so");
            ProbeRun run = Probe(Env("LICENSING_LIBRARY", missing, "LD_LIBRARY_PATH", Path.GetDirectoryName(onPath)));
            Assert.AreEqual(10, run.ExitCode, "expected DllNotFoundException although LD_LIBRARY_PATH has the library; " + run);
            CollectionAssert.IsEmpty(run.Mapped, "no other copy loaded; " + run);
            StringAssert.Contains("could not be loaded from " + missing, run.Output);
            StringAssert.Contains("the environment variable LICENSING_LIBRARY: no such file", run.Output);
            StringAssert.Contains("the platform's search was not tried", run.Output);
            StringAssert.Contains("To fix it", run.Output);
            StringAssert.Contains("AGAIN: the same DllNotFoundException", run.Output, "no fallback at a later use either");
        }

        [Test]
        public void AFileThatIsNotALibraryInLicensingLibrarySaysWhy()
        {
            string text = Path.Combine(work, "liblicensing.so");
            File.WriteAllText(text, "not a shared object\n");
            ProbeRun run = Probe(Env("LICENSING_LIBRARY", text));
            Assert.AreEqual(10, run.ExitCode, "expected DllNotFoundException; " + run);
            StringAssert.Contains("could not be loaded from " + text, run.Output);
            StringAssert.Contains("the file exists but could not be loaded (the loader said: ", run.Output, "the dynamic loader's reason");
        }

        [Test]
        public void LoadTakesAnExplicitPathBeforeLicensingLibraryAndTheSearch()
        {
            string explicitCopy = CopyOfLibrary("explicit/liblicensing-explicit.so");
            string variableCopy = CopyOfLibrary("elsewhere/liblicensing-from-variable.so");
            string onPath = CopyOfLibrary("ld/liblicensing.so");
            ProbeRun run = Probe(Env("LICENSING_LIBRARY", variableCopy, "LD_LIBRARY_PATH", Path.GetDirectoryName(onPath)),
                null, "--load", explicitCopy);
            AssertLoadedFrom(explicitCopy, run);
            StringAssert.Contains("LOAD OK " + explicitCopy, run.Output);
        }

        [Test]
        public void LoadOfAMissingFileSaysSoAndTriesNothingElse()
        {
            string missing = Path.Combine(work, "missing", "liblicensing.so");
            string variableCopy = CopyOfLibrary("elsewhere/liblicensing-from-variable.so");
            ProbeRun run = Probe(Env("LICENSING_LIBRARY", variableCopy), null, "--load", missing);
            Assert.AreEqual(10, run.ExitCode, "expected DllNotFoundException; " + run);
            CollectionAssert.IsEmpty(run.Mapped, "LICENSING_LIBRARY's copy not loaded; " + run);
            StringAssert.Contains("could not be loaded from " + missing + ", the path given by LicensingLibrary.Load(string): no such file", run.Output);
            StringAssert.Contains("LICENSING_LIBRARY and the platform's search were not tried", run.Output);
        }

        [Test]
        public void LoadTwiceWithTheSamePathIsFineWithAnotherItIsRefused()
        {
            string a = CopyOfLibrary("a/liblicensing-a.so");
            string b = CopyOfLibrary("b/liblicensing-b.so");
            AssertLoadedFrom(a, Probe(null, null, "--load", a, "--load", a));

            ProbeRun other = Probe(null, null, "--load", a, "--load", b);
            Assert.AreEqual(12, other.ExitCode, "expected InvalidOperationException for a second path; " + other);
            StringAssert.Contains("LicensingLibrary.Load(\"" + b + "\") came after the native library was loaded (from " + a, other.Output);
            StringAssert.Contains("before any other use", other.Output, "says what to do");
        }

        [Test]
        public void LdLibraryPathIsSearched()
        {
            string onPath = CopyOfLibrary("ld/liblicensing.so");
            AssertLoadedFrom(onPath, Probe(Env("LD_LIBRARY_PATH", Path.GetDirectoryName(onPath))));
        }

        [Test]
        public void TheDirectoryOfLicensingDllIsSearched()
        {
            // What an application ships: Licensing.dll and liblicensing.so side by side.
            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            string probe = ProbePath();
            File.Copy(probe, Path.Combine(app, Path.GetFileName(probe)));
            File.Copy(Path.Combine(Path.GetDirectoryName(probe), "Licensing.dll"), Path.Combine(app, "Licensing.dll"));
            string beside = CopyOfLibrary("app/liblicensing.so");
            AssertLoadedFrom(beside, Probe(null, Path.Combine(app, Path.GetFileName(probe))));
        }

        [Test]
        public void AGivenPathWorksWhicheverEntryPointComesFirst(
            [Values("version", "serial", "message", "classify", "validator", "validator-bytes", "validator-platform", "store", "store-tolerance", "store-create")] string first)
        {
            // Mono binds a method's P/Invokes when it compiles the method: an
            // entry point that called the library in the method that loads it
            // would bind them before the path is applied, and fail here.
            string copy = CopyOfLibrary("elsewhere/liblicensing-from-variable.so");
            ProbeRun run = Probe(Env("LICENSING_LIBRARY", copy), null, "--first", first);
            AssertLoadedFrom(copy, run);
            StringAssert.StartsWith("CALL " + first + ": ", run.Output.Split('\n').First(l => l.StartsWith("CALL ", StringComparison.Ordinal)));
            StringAssert.Contains("CALL validator: LicensingException BadTrustedKeys", run.Output, "the library answered");
            StringAssert.Contains("CALL validator-platform: LicensingException BadTrustedKeys", run.Output, "lic_validator_new_for_platform answered");
            StringAssert.Contains("CALL classify: license invalid True, misuse True, environment True", run.Output);
            StringAssert.Contains("CALL store: LicensingException NoStore", run.Output, "Store.Open of a directory without a store");
            StringAssert.Contains("CALL store-tolerance: LicensingException NoStore", run.Output);
            StringAssert.Contains("CALL store-create: created", run.Output);
        }

        [Test]
        public void LoadAfterTheFirstUseIsRefused()
        {
            // This process loaded the library already (by the platform's search in test.sh).
            StringAssert.IsMatch(@"^\d+\.\d+\.\d+", LicensingLibrary.Version);
            string copy = CopyOfLibrary("late/liblicensing-late.so");
            var e = Assert.Throws<InvalidOperationException>(() => LicensingLibrary.Load(copy));
            StringAssert.Contains("came after the native library was loaded", e.Message);
            StringAssert.Contains("before any other use", e.Message, "says what to do");
        }

        [Test]
        public void LoadNeedsAPath()
        {
            Assert.Throws<ArgumentNullException>(() => LicensingLibrary.Load(null));
            var e = Assert.Throws<ArgumentException>(() => LicensingLibrary.Load("  "));
            StringAssert.Contains("empty path", e.Message);
        }
    }
}
