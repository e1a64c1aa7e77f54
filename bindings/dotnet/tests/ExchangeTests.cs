// The offline exchange through the .NET binding: the environment's
// activation request (Store.ActivationRequest), its usage report
// (Store.UsageReport) with the daily peaks Store.Status records, and the
// infrastructure's usage summary (Store.InstallUsageSummary), after which a
// production store judges the limits summed across the production
// environments on the infrastructure's total. The rules are the library's:
// these tests check that the binding passes the arguments, returns the text
// and throws the code it gets back. The vendor's side is the licensing CLI
// (register, issue, usage-summary): $LICENSING_CLI, else the one Cargo
// builds next to the library ($LICENSING_DOTNET_NATIVE_LIBRARY).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class ExchangeTests
    {
        private const string RequestBegin = "-----BEGIN LICENSING ACTIVATION REQUEST-----\n";
        private const string RequestEnd = "-----END LICENSING ACTIVATION REQUEST-----";
        private const string ReportBegin = "-----BEGIN LICENSING USAGE REPORT-----\n";
        private const string SummaryBegin = "-----BEGIN LICENSING USAGE SUMMARY-----\n";
        private const string OtherCode = "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V";
        private const string OtherSerial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";
        private const long Now = Fixtures.ProdNow;

        private string dir;

        [SetUp]
        public void MakeDirectory()
        {
            dir = Path.Combine(Path.GetTempPath(), "licensing-dotnet-exchange-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
        }

        [TearDown]
        public void RemoveDirectory()
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }

        private static LicensingException Refused(ResultCode code, TestDelegate call)
        {
            var e = Assert.Throws<LicensingException>(call);
            Assert.AreEqual(code, e.Code, e.Message);
            return e;
        }

        /// <summary>The store's serial, or null when this machine has no identity (a request needs one).</summary>
        private static string SerialOrNull(Store store)
        {
            try
            {
                return store.SerialNumber;
            }
            catch (LicensingException e)
            {
                Assert.AreEqual(ResultCode.NoHardwareIdentity, e.Code, e.Message);
                return null;
            }
        }

        // -- the activation request ------------------------------------------

        [Test]
        public void ARequestIsArmoredTextOfItsArguments()
        {
            using (var store = Store.Create(Path.Combine(dir, "store")))
            {
                if (SerialOrNull(store) == null)
                {
                    Refused(ResultCode.NoHardwareIdentity,
                        () => store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production));
                    return;
                }
                string text = store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, "11.14", Now);
                StringAssert.StartsWith(RequestBegin, text);
                StringAssert.EndsWith(RequestEnd, text.TrimEnd('\n'));
                Assert.AreEqual(text, store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, "11.14", Now));
                var others = new[]
                {
                    store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, null, Now),
                    store.ActivationRequest(Fixtures.ProdActivationCode, "Staging", Purpose.Production, "11.14", Now),
                    store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.NonProduction, "11.14", Now),
                    store.ActivationRequest(OtherCode, "Production", Purpose.Production, "11.14", Now),
                    store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, "11.14", Now + 1),
                };
                foreach (string other in others)
                {
                    Assert.AreNotEqual(text, other);
                }
                Assert.AreEqual(others[0], store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, unixTime: Now));
                foreach (Purpose purpose in Enum.GetValues(typeof(Purpose)))
                {
                    StringAssert.StartsWith(RequestBegin, store.ActivationRequest(Fixtures.ProdActivationCode, "QA", purpose));
                }
                StringAssert.StartsWith(RequestBegin,
                    store.ActivationRequest(Fixtures.ProdActivationCode, new string('x', 100), Purpose.Production));
            }
        }

        [Test]
        public void ARequestWithABadArgumentIsMisuse()
        {
            using (var store = Store.Create(Path.Combine(dir, "store")))
            {
                if (SerialOrNull(store) == null)
                {
                    return;
                }
                foreach (string code in new[] { "", "XYZ", "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRR", Fixtures.ProdSerial })
                {
                    var e = Refused(ResultCode.InvalidActivationCode,
                        () => store.ActivationRequest(code, "Production", Purpose.Production));
                    Assert.IsTrue(e.Code.IsMisuse());
                    StringAssert.Contains("activation code", e.Message);
                }
                foreach (string name in new[] { "", "   ", new string('x', 101), "Prod\u0001uction", "Prod\nuction" })
                {
                    var e = Refused(ResultCode.InvalidEnvironmentName,
                        () => store.ActivationRequest(Fixtures.ProdActivationCode, name, Purpose.Production));
                    Assert.IsTrue(e.Code.IsMisuse());
                    StringAssert.Contains("name", e.Message);
                }
                // A value of the enum's type that is no Purpose: passed on, refused by the library.
                foreach (uint value in new uint[] { 4, 99, uint.MaxValue })
                {
                    var e = Refused(ResultCode.InvalidPurpose,
                        () => store.ActivationRequest(Fixtures.ProdActivationCode, "Production", (Purpose)value));
                    Assert.IsTrue(e.Code.IsMisuse());
                    StringAssert.Contains("LIC_PURPOSE_PRODUCTION", e.Message);
                }
                foreach (string version in new[] { "11.x", "", "v11.14", "11..14" })
                {
                    Refused(ResultCode.InvalidPlatformVersion,
                        () => store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production, version));
                }
            }
        }

        [Test]
        public void ARequestNeedsItsArguments()
        {
            var store = Store.Create(Path.Combine(dir, "store"));
            Assert.Throws<ArgumentNullException>(() => store.ActivationRequest(null, "Production", Purpose.Production));
            Assert.Throws<ArgumentNullException>(() => store.ActivationRequest(Fixtures.ProdActivationCode, null, Purpose.Production));
            Assert.Throws<ArgumentException>(() => store.ActivationRequest(Fixtures.ProdActivationCode, "Prod\0uction", Purpose.Production));
            store.Dispose();
            Assert.Throws<ObjectDisposedException>(() => store.ActivationRequest(Fixtures.ProdActivationCode, "Production", Purpose.Production));
        }

        [Test]
        public void TheVendorRegistersTheRequest()
        {
            using (var store = Store.Create(Path.Combine(dir, "store")))
            {
                string serial = SerialOrNull(store);
                if (serial == null)
                {
                    return;
                }
                var vendor = new Cli(Path.Combine(dir, "vendor"));
                string request = store.ActivationRequest(vendor.Code, "Production Dotnet", Purpose.Production, "11.14", Now);
                vendor.Write("dotnet.request", request);
                string output = vendor.Run(0, null, "register", "subscription.json", "--request", "dotnet.request");
                StringAssert.Contains("registered 'Production Dotnet' (production) with serial " + serial, output);
            }
        }

        // -- the usage report ------------------------------------------------

        [Test]
        public void AReportNeedsALicense()
        {
            string storeDir = Path.Combine(dir, "store");
            using (var store = Store.Create(storeDir))
            using (var validator = Fixtures.TestValidator())
            {
                var e = Refused(ResultCode.NoLicense, () => store.UsageReport(validator, Fixtures.ProdSerial, Now));
                StringAssert.Contains(storeDir, e.Message);
            }
        }

        [Test]
        public void AReportCarriesThePeaksTheStatusRecorded()
        {
            string storeDir = Path.Combine(dir, "store");
            using (var store = Store.Create(storeDir))
            using (var validator = Fixtures.TestValidator())
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Now).Dispose();
                string before = store.UsageReport(validator, Fixtures.ProdSerial, Now);
                StringAssert.StartsWith(ReportBegin, before);
                using (var status = store.Status(validator, Fixtures.ProdSerial, Now,
                    new Dictionary<string, ulong> { { "application-objects", 300 }, { "internal-users", 50 } }))
                {
                    Assert.IsTrue(status.MayRun && status.MayPublish, status.PublishReason);
                }
                string record = File.ReadAllText(Path.Combine(storeDir, "usage"), Encoding.UTF8);
                StringAssert.Contains("\n2026-06-01 application-objects 300\n", record);
                StringAssert.Contains("\n2026-06-01 internal-users 50\n", record);
                string report = store.UsageReport(validator, Fixtures.ProdSerial, Now);
                StringAssert.StartsWith(ReportBegin, report);
                Assert.AreNotEqual(before, report);
                Assert.AreEqual(report, store.UsageReport(validator, Fixtures.ProdSerial, Now));
                // A lower usage the same day keeps the peak; a higher one raises it.
                store.Status(validator, Fixtures.ProdSerial, Now + 60, new Dictionary<string, ulong> { { "application-objects", 120 } }).Dispose();
                Assert.AreEqual(report, store.UsageReport(validator, Fixtures.ProdSerial, Now));
                store.Status(validator, Fixtures.ProdSerial, Now + 120, new Dictionary<string, ulong> { { "application-objects", 301 } }).Dispose();
                Assert.AreNotEqual(report, store.UsageReport(validator, Fixtures.ProdSerial, Now));
                // Refused as validation says; an expired license still reports.
                Refused(ResultCode.WrongSerial, () => store.UsageReport(validator, OtherSerial, Now));
                Refused(ResultCode.InvalidSerialNumber, () => store.UsageReport(validator, "not-a-serial", Now));
                StringAssert.StartsWith(ReportBegin, store.UsageReport(validator, Fixtures.ProdSerial, 1893456000));
                Assert.Throws<ArgumentNullException>(() => store.UsageReport(null, Fixtures.ProdSerial, Now));
            }
        }

        // -- the usage summary -----------------------------------------------

        [Test]
        public void WhatIsNoSummaryIsRefused()
        {
            using (var store = Store.Create(Path.Combine(dir, "store")))
            using (var validator = Fixtures.TestValidator())
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Now).Dispose();
                foreach (string text in new[] { "", "hello, this is not a usage summary", SummaryBegin + "AAAA\n" })
                {
                    var e = Refused(ResultCode.BadUsageSummary,
                        () => store.InstallUsageSummary(validator, Encoding.UTF8.GetBytes(text), Fixtures.ProdSerial, Now));
                    Assert.IsTrue(e.Code.IsEnvironment());
                    StringAssert.Contains("summary", e.Message);
                }
                Assert.Throws<ArgumentNullException>(() => store.InstallUsageSummary(validator, null, Fixtures.ProdSerial, Now));
            }
        }

        /// <summary>A production environment of the exchange: registered and issued by the vendor, installed.</summary>
        private Store MakeEnvironment(Cli vendor, Validator validator, string letter, string serial)
        {
            string name = "Production " + letter.ToUpperInvariant();
            vendor.Run(0, null, "register", "subscription.json", "--serial", serial, "--name", name, "--purpose", "production");
            vendor.Run(0, null, "issue", "subscription.json", "--key", "vendor.key", "--serial", serial,
                "--at", "2026-01-01T00:00:00Z", "--out", letter + ".lic");
            var store = Store.Create(Path.Combine(dir, "store-" + letter));
            using (var license = store.Install(validator, vendor.Read(letter + ".lic"), serial, Now))
            {
                Assert.AreEqual(name, license.EnvironmentName);
                Assert.AreEqual(Purpose.Production, license.Purpose);
                Assert.AreEqual(vendor.Code, license.ActivationCode);
            }
            return store;
        }

        private static Dictionary<string, ulong> Objects(ulong n)
        {
            return new Dictionary<string, ulong> { { "application-objects", n } };
        }

        [Test]
        public void ASummaryOf300And300Over450RefusesPublishing()
        {
            var vendor = new Cli(Path.Combine(dir, "vendor"));
            string serialA = vendor.SerialOf("dotnet-test-exchange-a");
            string serialB = vendor.SerialOf("dotnet-test-exchange-b");
            Assert.AreNotEqual(serialA, serialB);
            using (var validator = new Validator(Encoding.UTF8.GetString(vendor.Read("vendor.pub"))))
            using (var a = MakeEnvironment(vendor, validator, "a", serialA))
            using (var b = MakeEnvironment(vendor, validator, "b", serialB))
            {
                // 300 application objects each: each within its own 450. Their reports.
                foreach (var e in new[] { Tuple.Create(a, serialA, "a"), Tuple.Create(b, serialB, "b") })
                {
                    using (var status = e.Item1.Status(validator, e.Item2, Now, Objects(300)))
                    {
                        Assert.IsTrue(status.MayPublish, status.PublishReason);
                    }
                    string report = e.Item1.UsageReport(validator, e.Item2, Now);
                    StringAssert.StartsWith(ReportBegin, report);
                    vendor.Write(e.Item3 + ".report", report);
                }
                // Summed by the CLI: 600 of 450 across production (exit 1, the summary written).
                vendor.Run(1, null, "usage-summary", "a.report", "b.report", "--out", "infrastructure.summary");
                byte[] summary = vendor.Read("infrastructure.summary");
                StringAssert.StartsWith(SummaryBegin, Encoding.UTF8.GetString(summary));

                // A store without a license has nothing to give it to.
                using (var empty = Store.Create(Path.Combine(dir, "store-empty")))
                {
                    Refused(ResultCode.NoLicense, () => empty.InstallUsageSummary(validator, summary, serialA, Now));
                }
                // Given it, A judges on the infrastructure's total: publishing refused, running goes on.
                a.InstallUsageSummary(validator, summary, serialA, Now);
                using (var status = a.Status(validator, serialA, Now + 60, Objects(300)))
                {
                    Assert.IsTrue(status.MayRun && status.MayAdminister, status.RunReason);
                    Assert.IsFalse(status.MayPublish);
                    StringAssert.Contains("application-objects 600/450 summed across 2 production environments", status.PublishReason);
                }
                using (var status = a.Status(validator, serialA, Now + 120, Objects(100)))
                {
                    Assert.IsTrue(status.MayPublish, status.PublishReason);
                }
                // B was given none: its own 300 of 450.
                using (var status = b.Status(validator, serialB, Now + 60, Objects(300)))
                {
                    Assert.IsTrue(status.MayPublish, status.PublishReason);
                }

                // Damaged in transit, a report, another infrastructure's: refused.
                byte[] damaged = (byte[])summary.Clone();
                int i = SummaryBegin.Length + 10;
                damaged[i] = (byte)(damaged[i] == (byte)'A' ? 'B' : 'A');
                var refused = Refused(ResultCode.BadUsageSummary, () => a.InstallUsageSummary(validator, damaged, serialA, Now));
                StringAssert.Contains("damaged", refused.Message);
                Refused(ResultCode.BadUsageSummary, () => a.InstallUsageSummary(validator, vendor.Read("a.report"), serialA, Now));
                using (var vectorsKey = Fixtures.TestValidator())
                using (var other = Store.Create(Path.Combine(dir, "store-other")))
                {
                    other.Install(vectorsKey, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Now).Dispose();
                    var foreign = Refused(ResultCode.BadUsageSummary,
                        () => other.InstallUsageSummary(vectorsKey, summary, Fixtures.ProdSerial, Now));
                    StringAssert.Contains(vendor.Code, foreign.Message);
                    StringAssert.Contains(Fixtures.ProdActivationCode, foreign.Message);
                }
                // The summary A was given still stands.
                using (var status = a.Status(validator, serialA, Now + 180, Objects(300)))
                {
                    Assert.IsFalse(status.MayPublish);
                }
            }
        }

        /// <summary>
        /// The vendor's side, with the CLI in its own directory: keys and a
        /// subscription with two production slots and a hard
        /// application-objects limit of 450.
        /// </summary>
        private sealed class Cli
        {
            private readonly string home;
            public readonly string Code;

            public Cli(string home)
            {
                this.home = home;
                Directory.CreateDirectory(home);
                Run(0, null, "keygen", "--private", "vendor.key", "--public", "vendor.pub");
                string output = Run(0, null, "subscription", "new", "--organization", "Exchange Test", "--edition", "Enterprise",
                    "--support", "premium", "--end", "2027-12-31", "--slots", "production=2",
                    "--limit", "application-objects=450:hard", "--out", "subscription.json");
                Code = output.Split('\n').Where(l => l.StartsWith("activation code: ", StringComparison.Ordinal))
                    .Select(l => l.Substring("activation code: ".Length).Trim()).SingleOrDefault();
                Assert.IsNotNull(Code, "no activation code in: " + output);
            }

            private static string Binary()
            {
                string named = System.Environment.GetEnvironmentVariable("LICENSING_CLI");
                if (string.IsNullOrEmpty(named))
                {
                    string library = System.Environment.GetEnvironmentVariable("LICENSING_DOTNET_NATIVE_LIBRARY");
                    Assert.IsFalse(string.IsNullOrEmpty(library),
                        "set LICENSING_CLI or LICENSING_DOTNET_NATIVE_LIBRARY (bindings/dotnet/test.sh does)");
                    named = Path.Combine(Path.GetDirectoryName(library), "licensing");
                }
                Assert.IsTrue(File.Exists(named), "expected the licensing CLI at " + named + ": run cargo build");
                return named;
            }

            /// <summary>The serial of a pinned identity, as the CLI derives it.</summary>
            public string SerialOf(string identity)
            {
                return Run(0, new Dictionary<string, string> { { "LICENSING_IDENTITY", identity } }, "serial").Trim();
            }

            /// <summary>Runs the CLI with <paramref name="args"/>; it must exit <paramref name="status"/>. Its stdout.</summary>
            public string Run(int status, Dictionary<string, string> env, params string[] args)
            {
                var start = new ProcessStartInfo(Binary(), string.Join(" ", args.Select(a => "\"" + a + "\"")))
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = home,
                };
                start.EnvironmentVariables.Remove("LICENSING_IDENTITY_FILE");
                if (env != null)
                {
                    foreach (var pair in env)
                    {
                        start.EnvironmentVariables[pair.Key] = pair.Value;
                    }
                }
                using (Process process = Process.Start(start))
                {
                    var errors = process.StandardError.ReadToEndAsync();
                    string output = process.StandardOutput.ReadToEnd();
                    Assert.IsTrue(process.WaitForExit(120000), "licensing " + string.Join(" ", args) + " did not end within 2 minutes");
                    Assert.AreEqual(status, process.ExitCode, "licensing " + string.Join(" ", args) + ":\n" + output + errors.Result);
                    return output;
                }
            }

            public byte[] Read(string name)
            {
                return File.ReadAllBytes(Path.Combine(home, name));
            }

            public void Write(string name, string text)
            {
                File.WriteAllText(Path.Combine(home, name), text, new UTF8Encoding(false));
            }
        }
    }
}
