// Without the native library the binding must say which file it looked
// for, where, and how to fix it. Runs probe/MissingLibraryProbe.exe (built
// by test.sh next to Licensing.dll, where liblicensing.so is not) in a
// child process whose library path cannot find the library.
using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class MissingLibraryTests
    {
        private static string ProbePath()
        {
            string fromEnv = Environment.GetEnvironmentVariable("LICENSING_DOTNET_PROBE");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            return Path.Combine(Path.GetDirectoryName(typeof(MissingLibraryTests).Assembly.Location), "MissingLibraryProbe.exe");
        }

        private static string Runtime()
        {
            // The runtime running these tests (mono here); "mono" from PATH otherwise.
            string self = Process.GetCurrentProcess().MainModule.FileName;
            return Path.GetFileName(self).StartsWith("mono", StringComparison.Ordinal) ? self : "mono";
        }

        [Test]
        public void TheErrorSaysWhichFileWhereAndHowToFixIt()
        {
            string probe = ProbePath();
            Assert.IsTrue(File.Exists(probe), "the probe is built by test.sh: " + probe);
            string bogusDir = Path.Combine(Path.GetTempPath(), "licensing-no-such-dir");
            var start = new ProcessStartInfo(Runtime(), "\"" + probe + "\"")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            start.EnvironmentVariables["LD_LIBRARY_PATH"] = bogusDir;
            start.EnvironmentVariables.Remove("MONO_PATH");
            using (Process process = Process.Start(start))
            {
                string output = process.StandardOutput.ReadToEnd();
                string errors = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.AreEqual(0, process.ExitCode, "probe output: " + output + errors);
                StringAssert.Contains("liblicensing.so", output);
                StringAssert.Contains("LD_LIBRARY_PATH", output);
                StringAssert.Contains(bogusDir, output, "says where it looked");
                StringAssert.Contains(Path.GetDirectoryName(probe), output, "says it looked next to Licensing.dll");
                StringAssert.Contains("cargo build", output, "says how to fix it");
            }
        }
    }
}
