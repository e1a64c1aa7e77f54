// The license store through the binding: install, restore, backup, status (trial,
// limits, clock) in temporary directories, with the fixed test vectors.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class StoreTests
    {
        private const long Day = 24 * 3600;
        private const string DevSerial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";
        // prod.lic (revision 7) and prod-renewal.lic (revision 8 of the same environment).
        private const string ProdId = "766563746f722d70726f642d30303031";
        private const string RenewalId = "766563746f722d70726f642d30303032";
        // A time when dev-never-expires.lic and nothing else is involved; the trial clock.
        private const long TrialStart = 1780315200;

        private string dir;
        private Validator validator;

        [SetUp]
        public void SetUp()
        {
            dir = Path.Combine(Path.GetTempPath(), "licensing-dotnet-store-" + Guid.NewGuid().ToString("N"));
            validator = Fixtures.TestValidator();
        }

        [TearDown]
        public void TearDown()
        {
            validator.Dispose();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }

        private string Active
        {
            get { return Path.Combine(dir, "license.lic"); }
        }

        private string Backup
        {
            get { return Path.Combine(dir, "license.lic.bak"); }
        }

        private static string Show(IEnumerable<string> warnings)
        {
            return "[" + string.Join(" | ", warnings) + "]";
        }

        /// <summary>Asserts that opening <paramref name="path"/> fails with NoStore, by both Open overloads.</summary>
        private static void AssertNoStore(string path, string what)
        {
            var e = Assert.Throws<LicensingException>(() => Store.Open(path).Dispose(), "Store.Open of " + what);
            Assert.AreEqual(ResultCode.NoStore, e.Code, "Store.Open of " + what + ": " + e.Message);
            Assert.AreEqual(504, (int)e.Code);
            Assert.IsTrue(e.Code.IsEnvironment(), "NoStore is a problem of the machine (a wrong path), for an operator to fix");
            Assert.IsFalse(e.Code.IsMisuse() || e.Code.IsLicenseInvalid(), e.Code + " is of one kind");
            StringAssert.Contains("holds no license store", e.Message, "says what was found");
            StringAssert.Contains(path, e.Message, "names the directory");
            var tolerant = Assert.Throws<LicensingException>(() => Store.Open(path, TimeSpan.FromDays(3)).Dispose(),
                "Store.Open(dir, clockTolerance) of " + what);
            Assert.AreEqual(ResultCode.NoStore, tolerant.Code, "Store.Open(dir, clockTolerance) of " + what + ": " + tolerant.Message);
        }

        [Test]
        public void OpeningAMissingDirectoryFailsWithNoStoreAndCreatesNothing()
        {
            Assert.IsFalse(Directory.Exists(dir));
            AssertNoStore(dir, "a missing directory");
            Assert.IsFalse(Directory.Exists(dir), "Store.Open created the directory it was refused");
        }

        [Test]
        public void OpeningAnEmptyDirectoryFailsWithNoStoreAndWritesNothing()
        {
            Directory.CreateDirectory(dir);
            AssertNoStore(dir, "an empty directory");
            CollectionAssert.IsEmpty(Directory.GetFileSystemEntries(dir), "Store.Open wrote into the directory it was refused");
            // A directory of other files is no store either.
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a store");
            AssertNoStore(dir, "a directory of other files");
            CollectionAssert.AreEqual(new[] { "notes.txt" }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray());
        }

        [Test]
        public void CreateMakesTheDirectoryAndAnEmptyStore()
        {
            string nested = Path.Combine(Path.Combine(dir, "var"), "license");
            Assert.IsFalse(Directory.Exists(dir));
            using (Store.Create(nested))
            {
            }
            Assert.IsTrue(Directory.Exists(nested), "Store.Create makes the directory and its parents");
            // Only the empty lock file, which marks the directory as a store: no trial yet.
            CollectionAssert.AreEqual(new[] { ".lock" }, Directory.GetFileSystemEntries(nested).Select(Path.GetFileName).ToArray(),
                "what Store.Create wrote");
            Assert.AreEqual(0, new FileInfo(Path.Combine(nested, ".lock")).Length, ".lock is empty");
        }

        [Test]
        public void CreateThenOpen()
        {
            using (var created = Store.Create(dir))
            {
                created.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
            }
            using (var opened = Store.Open(dir))
            using (var status = opened.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
            {
                Assert.AreEqual(Standing.Active, status.Standing, "the store Create made, opened: " + Show(status.Warnings));
                Assert.AreEqual(7u, status.License.Revision);
            }
            using (var tolerant = Store.Open(dir, TimeSpan.FromHours(1)))
            using (var status = tolerant.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
            {
                Assert.AreEqual(Standing.Active, status.Standing);
            }
            // Creating an existing store opens it as it is.
            var before = Snapshot();
            using (var again = Store.Create(dir))
            using (var status = again.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
            {
                Assert.AreEqual(7u, status.License.Revision, "Store.Create of an existing store keeps its license");
            }
            CollectionAssert.AreEqual(before["license.lic"], Snapshot()["license.lic"]);
        }

        [Test]
        public void AnEmptyCreatedStoreOpensAndStartsTheTrialAtTheFirstStatus()
        {
            Store.Create(dir).Dispose();
            using (var store = Store.Open(dir))
            {
                Assert.IsFalse(File.Exists(Path.Combine(dir, "state")), "no trial before the first status");
                using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart))
                {
                    Assert.AreEqual(Standing.Trial, status.Standing);
                    Assert.AreEqual(30, status.DaysLeft);
                }
                Assert.IsTrue(File.Exists(Path.Combine(dir, "state")), "the first status records the trial");
            }
        }

        [Test]
        public void APreviewAYearAheadRecordsNothing()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow).Dispose(); // the clock recorded
                var before = Snapshot();

                using (var ahead = store.PreviewStatus(validator, Fixtures.ProdSerial, Fixtures.ProdNow + 365 * Day))
                {
                    // prod.lic expires 2028-01-01: 579 days from ProdNow, 214 a year later.
                    Assert.AreEqual(Standing.Active, ahead.Standing, Show(ahead.Warnings));
                    Assert.AreEqual(579 - 365, ahead.DaysLeft, "judged a year ahead");
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(Fixtures.ProdNow + 365 * Day), ahead.JudgedAt);
                    Assert.AreEqual(7u, ahead.License.Revision);
                }
                AssertStoreUnchanged(before, "PreviewStatus");

                // Back to now: the preview's time was not recorded as the latest seen.
                using (var now = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.IsFalse(now.Warnings.Any(w => w.Contains("the clock was turned back")),
                        "a preview a year ahead made the clock look turned back: " + Show(now.Warnings));
                    CollectionAssert.IsEmpty(now.Warnings, Show(now.Warnings));
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(Fixtures.ProdNow), now.JudgedAt,
                        "judged at the clock's time, not the preview's");
                    Assert.AreEqual(579, now.DaysLeft);
                }
            }
        }

        [Test]
        public void APreviewShowsExpiryAndTheUsageFigures()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var before = Snapshot();
                // Two years ahead, past 2028-01-01 and its grace period.
                using (var later = store.PreviewStatus(validator, Fixtures.ProdSerial, Fixtures.ProdNow + 2 * 365 * Day))
                {
                    Assert.AreEqual(Standing.Expired, later.Standing, Show(later.Warnings));
                    Assert.AreEqual(0, later.DaysLeft);
                    Assert.IsFalse(later.MayRun, "an expired license does not let the application run");
                    Assert.IsTrue(later.MayAdminister, "administrators can always sign in");
                }
                // The usage figures are judged as Status judges them.
                using (var over = store.PreviewStatus(validator, Fixtures.ProdSerial, Fixtures.ProdNow,
                           new Dictionary<string, ulong> { { "application-objects", 451 } }))
                {
                    Assert.IsTrue(over.MayRun, "licensed at ProdNow (the earlier preview two years ahead was not recorded): " + over.RunReason);
                    Assert.IsFalse(over.MayPublish, "application-objects 451/450 is over a hard limit");
                    Assert.AreEqual("over a hard limit: application-objects 451/450", over.PublishReason);
                }
                AssertStoreUnchanged(before, "PreviewStatus");
            }
        }

        [Test]
        public void APreviewOnAFreshStoreShowsTheTrialWithoutWritingAState()
        {
            string state = Path.Combine(dir, "state");
            using (var store = Store.Create(dir))
            {
                var before = Snapshot();
                using (var preview = store.PreviewStatus(validator, Fixtures.ProdSerial, TrialStart))
                {
                    Assert.AreEqual(Standing.Trial, preview.Standing, Show(preview.Warnings));
                    Assert.AreEqual(30, preview.DaysLeft, "a trial not started yet is shown as starting at the preview's time");
                    Assert.IsTrue(preview.MayRun);
                    Assert.IsNull(preview.License);
                }
                Assert.IsFalse(File.Exists(state), "PreviewStatus started the trial (wrote " + state + ")");
                AssertStoreUnchanged(before, "PreviewStatus");

                // The trial starts at the first Status, not at the preview.
                using (var first = store.Status(validator, Fixtures.ProdSerial, TrialStart + 10 * Day))
                {
                    Assert.AreEqual(Standing.Trial, first.Standing);
                    Assert.AreEqual(30, first.DaysLeft, "the trial started at the first Status");
                }
                Assert.IsTrue(File.Exists(state), "Status records the trial");
                before = Snapshot();
                using (var late = store.PreviewStatus(validator, Fixtures.ProdSerial, TrialStart + 35 * Day))
                {
                    Assert.AreEqual(Standing.Trial, late.Standing);
                    Assert.AreEqual(5, late.DaysLeft);
                    CollectionAssert.AreEqual(new[] { "the trial ends within 5 days: install a license" }, late.Warnings);
                }
                using (var over = store.PreviewStatus(validator, Fixtures.ProdSerial, TrialStart + 41 * Day))
                {
                    Assert.AreEqual(Standing.TrialOver, over.Standing, "41 days after the trial's first day");
                    Assert.IsFalse(over.MayRun, "the trial is over");
                }
                AssertStoreUnchanged(before, "PreviewStatus");
            }
        }

        [Test]
        public void InstallProdAtTheFixtureTime()
        {
            using (var store = Store.Create(dir))
            {
                using (var license = store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Fixtures.ProdSerial, license.SerialNumber);
                    Assert.AreEqual(Fixtures.ProdActivationCode, license.ActivationCode);
                    Assert.AreEqual(7u, license.Revision);
                    Assert.AreEqual(State.Active, license.State);
                }
                Assert.IsTrue(File.Exists(Active), "license.lic written");
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
                Assert.IsFalse(File.Exists(Backup), "nothing replaced, no backup");

                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Active, status.Standing);
                    // Active counts the days until expiry too (2028-01-01, from
                    // 2026-06-01T12:00Z: 578.5 days, a started day counts).
                    Assert.AreEqual(579, status.DaysLeft, "an active license's days until expiry");
                    Assert.IsTrue(status.MayRun);
                    Assert.IsTrue(status.MayPublish);
                    Assert.IsTrue(status.MayAdminister);
                    CollectionAssert.IsEmpty(status.Warnings);
                    Assert.IsNotNull(status.License);
                    Assert.AreEqual("Acme Corp", status.License.Organization);
                    Assert.AreSame(status.License, status.License, "one License per status");
                    Assert.AreEqual(450ul, status.License.Limit("application-objects"));
                }
            }
        }

        [Test]
        public void TheTextFormInstallsAsBinary()
        {
            using (var store = Store.Create(dir))
            using (var license = store.Install(validator, Fixtures.Bytes("prod.pem"), Fixtures.ProdSerial, Fixtures.ProdNow))
            {
                Assert.AreEqual(7u, license.Revision);
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
            }
        }

        [Test]
        public void ATamperedLicenseIsRefusedAndTheStoreIsUnchanged()
        {
            using (var store = Store.Create(dir))
            {
                // On an empty store: nothing is written.
                var first = Assert.Throws<LicensingException>(() =>
                    store.Install(validator, Fixtures.Bytes("tampered-body.lic"), Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.BadSignature, first.Code, first.Message);
                Assert.IsFalse(File.Exists(Active));

                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                byte[] before = File.ReadAllBytes(Active);
                var e = Assert.Throws<LicensingException>(() =>
                    store.Install(validator, Fixtures.Bytes("tampered-body.lic"), Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.BadSignature, e.Code, e.Message);
                Assert.IsNotNullOrEmpty(e.Message);
                CollectionAssert.AreEqual(before, File.ReadAllBytes(Active), "the active license is untouched");
                Assert.IsFalse(File.Exists(Backup), "no backup made by a refused install");
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Active, status.Standing);
                    Assert.AreEqual(7u, status.License.Revision);
                }
            }
        }

        [Test]
        public void RestoreWithoutABackup()
        {
            using (var store = Store.Create(dir))
            {
                var empty = Assert.Throws<LicensingException>(() =>
                    store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.NoBackup, empty.Code, empty.Message);
                Assert.IsNotNullOrEmpty(empty.Message);

                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var one = Assert.Throws<LicensingException>(() =>
                    store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.NoBackup, one.Code, "one install leaves no backup");
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
            }
        }

        [Test]
        public void RestoreSwapsTheBackupBack()
        {
            using (var store = Store.Create(dir))
            {
                // expired.lic in its grace period, then prod.lic: the backup is expired.lic.
                const long InGrace = 1736035200;
                store.Install(validator, Fixtures.Bytes("expired.lic"), Fixtures.ProdSerial, InGrace).Dispose();
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                CollectionAssert.AreEqual(Fixtures.Bytes("expired.lic"), File.ReadAllBytes(Backup));

                // Restoring it now fails (judged at the latest time seen): nothing changes.
                var e = Assert.Throws<LicensingException>(() =>
                    store.Restore(validator, Fixtures.ProdSerial, InGrace));
                Assert.AreEqual(ResultCode.Expired, e.Code, e.Message);
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
                CollectionAssert.AreEqual(Fixtures.Bytes("expired.lic"), File.ReadAllBytes(Backup));
            }
        }

        [Test]
        public void RestoreOfAValidBackup()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                store.Install(validator, Fixtures.Bytes("prod.pem"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                Assert.IsTrue(File.Exists(Backup));
                using (var restored = store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(7u, restored.Revision);
                    Assert.AreEqual(Fixtures.ProdSerial, restored.SerialNumber);
                }
            }
        }

        [Test]
        public void ARenewalThenADowngradeRefusedForcedAndRestored()
        {
            using (var store = Store.Create(dir))
            {
                // prod-renewal.lic is revision 8 of prod.lic's environment (revision 7),
                // with "tenants" raised from 25 to 50; both are valid at ProdNow.
                using (var renewal = store.Install(validator, Fixtures.Bytes("prod-renewal.lic"), Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(8u, renewal.Revision);
                    Assert.AreEqual(RenewalId, renewal.LicenseId);
                    Assert.AreEqual(Fixtures.ProdSerial, renewal.SerialNumber);
                    Assert.AreEqual(50ul, renewal.Limit("tenants"));
                }

                // Revision 7 over revision 8: a downgrade, refused without force.
                var e = Assert.Throws<LicensingException>(() =>
                    store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.Downgrade, e.Code, e.Message);
                Assert.AreEqual(501, (int)e.Code);
                StringAssert.Contains("revision 7 but revision 8", e.Message);
                CollectionAssert.AreEqual(Fixtures.Bytes("prod-renewal.lic"), File.ReadAllBytes(Active), "the active license is untouched");
                Assert.IsFalse(File.Exists(Backup), "no backup made by a refused install");
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Active, status.Standing);
                    Assert.AreEqual(8u, status.License.Revision, "the refused file changed nothing");
                    Assert.AreEqual(50ul, status.License.Limits["tenants"]);
                }

                // On purpose: force.
                using (var forced = store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow, force: true))
                {
                    Assert.AreEqual(7u, forced.Revision);
                    Assert.AreEqual(ProdId, forced.LicenseId);
                    Assert.AreEqual(25ul, forced.Limit("tenants"));
                }
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
                CollectionAssert.AreEqual(Fixtures.Bytes("prod-renewal.lic"), File.ReadAllBytes(Backup));

                // Restore brings revision 8 back and keeps revision 7 as the backup.
                using (var restored = store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(8u, restored.Revision);
                    Assert.AreEqual(RenewalId, restored.LicenseId);
                    Assert.AreEqual(50ul, restored.Limit("tenants"));
                }
                CollectionAssert.AreEqual(Fixtures.Bytes("prod-renewal.lic"), File.ReadAllBytes(Active));
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Backup));
            }
        }

        /// <summary>Every file of the store directory, by name, with its bytes (to show nothing changed).</summary>
        private Dictionary<string, string> Snapshot()
        {
            return Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal)
                .ToDictionary(f => Path.GetFileName(f), f => Convert.ToBase64String(File.ReadAllBytes(f)));
        }

        /// <summary>
        /// Asserts that every file of the store directory has the bytes of
        /// <paramref name="before"/> (a <see cref="Snapshot"/>), naming the
        /// files <paramref name="call"/> wrote, added or removed.
        /// </summary>
        private void AssertStoreUnchanged(Dictionary<string, string> before, string call)
        {
            var after = Snapshot();
            var changed = before.Keys.Union(after.Keys)
                .Where(name => !before.ContainsKey(name) || !after.ContainsKey(name) || before[name] != after[name])
                .Select(name => !before.ContainsKey(name) ? name + " (added)" : !after.ContainsKey(name) ? name + " (removed)" : name + " (rewritten with other bytes)")
                .ToList();
            Assert.IsEmpty(changed, call + " should change no file of the store, but changed: " + string.Join(", ", changed));
        }

        [Test]
        public void NoBackupIsNull()
        {
            using (var store = Store.Create(dir))
            {
                using (var none = store.Backup(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.IsNull(none, "an empty store has no backup");
                }
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var before = Snapshot();
                using (var one = store.Backup(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.IsNull(one, "one install leaves no backup");
                }
                CollectionAssert.AreEquivalent(before, Snapshot(), "Backup changed the store");
                Assert.IsFalse(File.Exists(Backup));
                // Restore agrees: there is nothing to bring back.
                var e = Assert.Throws<LicensingException>(() => store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.NoBackup, e.Code, e.Message);
            }
        }

        [Test]
        public void BackupShowsWhatRestoreWouldBringBackAndChangesNothing()
        {
            using (var store = Store.Create(dir))
            {
                // prod.lic (revision 7), then its renewal prod-renewal.lic (revision 8).
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                store.Install(validator, Fixtures.Bytes("prod-renewal.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var before = Snapshot();
                CollectionAssert.Contains(before.Keys, "license.lic.bak");

                // Twice: the same answer, and the store's files are untouched.
                for (int i = 0; i < 2; i++)
                {
                    using (var backup = store.Backup(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                    {
                        Assert.IsNotNull(backup, "call " + (i + 1));
                        Assert.AreEqual(7u, backup.Revision);
                        Assert.AreEqual(ProdId, backup.LicenseId);
                        Assert.AreEqual(Fixtures.ProdSerial, backup.SerialNumber);
                        Assert.AreEqual(25ul, backup.Limit("tenants"));
                        Assert.AreEqual(State.Active, backup.State);
                    }
                    CollectionAssert.AreEquivalent(before, Snapshot(), "Backup changed the store (call " + (i + 1) + ")");
                }
                CollectionAssert.AreEqual(Fixtures.Bytes("prod-renewal.lic"), File.ReadAllBytes(Active));
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Backup));
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(8u, status.License.Revision, "the active license is still the renewal");
                }

                // Restore brings back what Backup showed; the renewal it replaced becomes the backup.
                using (var restored = store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(7u, restored.Revision);
                    Assert.AreEqual(ProdId, restored.LicenseId);
                }
                CollectionAssert.AreEqual(Fixtures.Bytes("prod.lic"), File.ReadAllBytes(Active));
                CollectionAssert.AreEqual(Fixtures.Bytes("prod-renewal.lic"), File.ReadAllBytes(Backup));
                var afterRestore = Snapshot();
                using (var backup = store.Backup(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.IsNotNull(backup);
                    Assert.AreEqual(8u, backup.Revision, "after a restore the backup is the license it replaced");
                    Assert.AreEqual(RenewalId, backup.LicenseId);
                    Assert.AreEqual(50ul, backup.Limit("tenants"));
                }
                CollectionAssert.AreEquivalent(afterRestore, Snapshot(), "Backup changed the store after the restore");
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(7u, status.License.Revision, "the restored license is active");
                }

                // And restoring again undoes the restore: revision 8 active, 7 the backup once more.
                using (var again = store.Restore(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(8u, again.Revision);
                }
                using (var backup = store.Backup(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(7u, backup.Revision);
                }
            }
        }

        [Test]
        public void AnInvalidBackupThrowsLikeRestore()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                store.Install(validator, Fixtures.Bytes("prod-renewal.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var before = Snapshot();

                // For another environment's serial number the backup is not valid.
                var e = Assert.Throws<LicensingException>(() => store.Backup(validator, DevSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.WrongSerial, e.Code, e.Message);
                Assert.IsNotNullOrEmpty(e.Message);
                var r = Assert.Throws<LicensingException>(() => store.Restore(validator, DevSerial, Fixtures.ProdNow));
                Assert.AreEqual(e.Code, r.Code, "Backup and Restore answer alike: " + r.Message);
                CollectionAssert.AreEquivalent(before, Snapshot(), "a refused Backup or Restore changed the store");

                // A malformed serial number is refused before the store is read.
                var bad = Assert.Throws<LicensingException>(() => store.Backup(validator, "not a serial", Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.InvalidSerialNumber, bad.Code, bad.Message);
            }
        }

        [Test]
        public void AnExpiredBackupThrowsExpired()
        {
            using (var store = Store.Create(dir))
            {
                // As in RestoreSwapsTheBackupBack: the backup is expired.lic, past its grace period now.
                const long InGrace = 1736035200;
                store.Install(validator, Fixtures.Bytes("expired.lic"), Fixtures.ProdSerial, InGrace).Dispose();
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var before = Snapshot();
                var e = Assert.Throws<LicensingException>(() => store.Backup(validator, Fixtures.ProdSerial, InGrace));
                Assert.AreEqual(ResultCode.Expired, e.Code, e.Message);
                CollectionAssert.AreEquivalent(before, Snapshot());
            }
        }

        [Test]
        public void ALicenseForAnotherSerialIsRefused()
        {
            using (var store = Store.Create(dir))
            {
                var e = Assert.Throws<LicensingException>(() =>
                    store.Install(validator, Fixtures.Bytes("dev-never-expires.lic"), Fixtures.ProdSerial, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.WrongSerial, e.Code, e.Message);
                Assert.IsFalse(File.Exists(Active));
                // For its own serial it installs (the check above can fail).
                using (var dev = store.Install(validator, Fixtures.Bytes("dev-never-expires.lic"), DevSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(LicenseType.Development, dev.LicenseType);
                }
            }
        }

        [Test]
        public void AnEmptyStoreIsOnTheTrial()
        {
            using (var store = Store.Create(dir))
            using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart))
            {
                Assert.AreEqual(Standing.Trial, status.Standing);
                Assert.AreEqual(30, status.DaysLeft);
                Assert.IsTrue(status.MayRun);
                Assert.IsTrue(status.MayPublish);
                Assert.IsTrue(status.MayAdminister);
                Assert.IsNull(status.License, "no license on the trial");
                CollectionAssert.IsEmpty(status.Warnings, Show(status.Warnings));
            }
        }

        [Test]
        public void TheTrialEnds()
        {
            using (var store = Store.Create(dir))
            {
                store.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose(); // starts the trial
                using (var late = store.Status(validator, Fixtures.ProdSerial, TrialStart + 25 * Day))
                {
                    Assert.AreEqual(Standing.Trial, late.Standing);
                    Assert.AreEqual(5, late.DaysLeft);
                    CollectionAssert.AreEqual(new[] { "the trial ends within 5 days: install a license" }, late.Warnings);
                }
                using (var over = store.Status(validator, Fixtures.ProdSerial, TrialStart + 31 * Day))
                {
                    Assert.AreEqual(Standing.TrialOver, over.Standing);
                    Assert.AreEqual(0, over.DaysLeft);
                    Assert.IsFalse(over.MayRun);
                    Assert.IsFalse(over.MayPublish);
                    Assert.IsTrue(over.MayAdminister, "administrators can still install a license");
                    Assert.IsNull(over.License);
                    CollectionAssert.Contains(over.Warnings, "the trial is over: install a license");
                }
                // A new store object on the same directory remembers the trial.
                using (var again = Store.Open(dir))
                using (var status = again.Status(validator, Fixtures.ProdSerial, TrialStart + 31 * Day))
                {
                    Assert.AreEqual(Standing.TrialOver, status.Standing);
                }
            }
        }

        [Test]
        public void TrialLimitsApply()
        {
            using (var store = Store.Create(dir))
            using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart,
                       new Dictionary<string, ulong> { { "application-objects", 151 } }))
            {
                Assert.AreEqual(Standing.Trial, status.Standing);
                Assert.IsTrue(status.MayRun);
                Assert.IsFalse(status.MayPublish);
                CollectionAssert.Contains(status.Warnings,
                    "consuming more than the license allows: application-objects 151/150 (hard limit: publishing is blocked)");
            }
        }

        [Test]
        public void OverAHardLimitBlocksPublishingOnly()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();

                using (var at = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow,
                           new Dictionary<string, ulong> { { "application-objects", 450 } }))
                {
                    Assert.IsTrue(at.MayRun);
                    Assert.IsTrue(at.MayPublish, "at the limit is not over it");
                    CollectionAssert.IsEmpty(at.Warnings, Show(at.Warnings));
                }
                using (var over = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow,
                           new Dictionary<string, ulong> { { "application-objects", 451 } }))
                {
                    Assert.AreEqual(Standing.Active, over.Standing);
                    Assert.IsTrue(over.MayRun);
                    Assert.IsFalse(over.MayPublish);
                    Assert.IsTrue(over.MayAdminister);
                    CollectionAssert.AreEqual(new[]
                    {
                        "consuming more than the license allows: application-objects 451/450 (hard limit: publishing is blocked)",
                    }, over.Warnings);
                }
            }
        }

        [Test]
        public void SeveralUsageFiguresAreAllPassed()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                var usage = new Dictionary<string, ulong>
                {
                    { "internal-users", 101 },
                    { "no-such-limit", 5 },
                    { "tenants", 26 },
                    { "storage-gb", 500 },
                };
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow, usage))
                {
                    Assert.IsTrue(status.MayRun);
                    Assert.IsFalse(status.MayPublish, "tenants is a hard limit");
                    var warnings = status.Warnings;
                    CollectionAssert.Contains(warnings, "consuming more than the license allows: internal-users 101/100 (soft limit)", Show(warnings));
                    CollectionAssert.Contains(warnings, "consuming more than the license allows: tenants 26/25 (hard limit: publishing is blocked)", Show(warnings));
                    Assert.AreEqual(2, warnings.Count, Show(warnings));
                }
                // A soft limit alone does not block publishing.
                using (var soft = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow,
                           new Dictionary<string, ulong> { { "internal-users", 101 } }))
                {
                    Assert.IsTrue(soft.MayPublish);
                    Assert.AreEqual(1, soft.Warnings.Count);
                }
                // An empty dictionary is no figures.
                using (var none = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow, new Dictionary<string, ulong>()))
                {
                    Assert.IsTrue(none.MayPublish);
                    CollectionAssert.IsEmpty(none.Warnings);
                }
            }
        }

        [Test]
        public void TurningTheClockBackIsNoticed()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();

                // Within the 24 h tolerance: no warning.
                using (var tolerated = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow - Day))
                {
                    CollectionAssert.IsEmpty(tolerated.Warnings, Show(tolerated.Warnings));
                }
                using (var back = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow - Day - 1))
                {
                    CollectionAssert.AreEqual(new[]
                    {
                        "the clock of this server says 2026-05-31T11:59:59Z but 2026-06-01T12:00:00Z was already seen: " +
                        "the clock was turned back; fix the clock (licenses are judged at 2026-06-01T12:00:00Z)",
                    }, back.Warnings);
                    Assert.AreEqual(Standing.Active, back.Standing, "judged at the latest time seen");
                    Assert.IsTrue(back.MayRun);
                }
            }
        }

        [Test]
        public void TurningTheClockBackDoesNotStretchTheTrial()
        {
            using (var store = Store.Create(dir))
            {
                store.Status(validator, Fixtures.ProdSerial, TrialStart + 31 * Day).Dispose();
            }
            // Started at TrialStart + 31 days: a status 40 days earlier is a clock warning, not a fresh trial.
            using (var store = Store.Open(dir))
            using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart - 9 * Day))
            {
                Assert.AreEqual(Standing.Trial, status.Standing);
                Assert.AreEqual(30, status.DaysLeft);
                Assert.IsTrue(status.Warnings.Any(w => w.Contains("the clock was turned back")), Show(status.Warnings));
            }
        }

        private const string AlteredStart = "the licensing state of this store was altered or reset";
        private const string AlteredAdvice = "install a license, or ask the vendor for a trial extension";

        private string StateFile
        {
            get { return Path.Combine(dir, "state"); }
        }

        /// <summary>The warnings that say the store's state was altered or reset.</summary>
        private static List<string> AlteredWarnings(Status status)
        {
            return status.Warnings.Where(w => w.StartsWith(AlteredStart, StringComparison.Ordinal)).ToList();
        }

        /// <summary>Asserts that <paramref name="status"/> carries exactly one altered-state warning, with its advice.</summary>
        private static void AssertAltered(Status status, string what)
        {
            var altered = AlteredWarnings(status);
            Assert.AreEqual(1, altered.Count, what + ": one altered-state warning expected in " + Show(status.Warnings));
            StringAssert.Contains(AlteredAdvice, altered[0], what + ": the warning says what to do");
        }

        [Test]
        public void AHandEditedStateEndsTheTrialForGood()
        {
            using (var store = Store.Create(dir))
            {
                using (var first = store.Status(validator, Fixtures.ProdSerial, TrialStart))
                {
                    Assert.AreEqual(Standing.Trial, first.Standing);
                    Assert.AreEqual(30, first.DaysLeft);
                    CollectionAssert.IsEmpty(first.Warnings, "an untouched state raises no alarm: " + Show(first.Warnings));
                }
                Assert.IsTrue(File.Exists(StateFile), "the first status records the trial");

                // By hand: a trial that would start in 2100.
                File.WriteAllText(StateFile, "trial-started=4102444800\n");

                using (var after = store.Status(validator, Fixtures.ProdSerial, TrialStart + 3600))
                {
                    Assert.AreEqual(Standing.TrialOver, after.Standing, "an edited state ends the trial: " + Show(after.Warnings));
                    Assert.IsFalse(after.MayRun, "the trial is over: " + after.RunReason);
                    Assert.IsFalse(after.MayPublish);
                    Assert.IsTrue(after.MayAdminister, "administrators can still sign in, to install a license");
                    Assert.IsNull(after.License);
                    AssertAltered(after, "the status after the edit");
                }
                // It stays so: the next status does not bring the trial back.
                using (var later = store.Status(validator, Fixtures.ProdSerial, TrialStart + 7200))
                {
                    Assert.AreEqual(Standing.TrialOver, later.Standing, "the trial does not restart: " + Show(later.Warnings));
                    Assert.IsFalse(later.MayRun);
                    AssertAltered(later, "the second status after the edit");
                }
                // Reopened, too.
                using (var reopened = Store.Open(dir))
                using (var status = reopened.Status(validator, Fixtures.ProdSerial, TrialStart + 3 * 3600))
                {
                    Assert.AreEqual(Standing.TrialOver, status.Standing, Show(status.Warnings));
                    Assert.IsFalse(status.MayRun);
                }
            }
        }

        [Test]
        public void AStateCutShortOrCopiedFromAnotherStoreEndsTheTrial([Values("cut short", "copied from another store")] string how)
        {
            string other = dir + "-other";
            try
            {
                using (var store = Store.Create(dir))
                {
                    store.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose();
                    byte[] state = File.ReadAllBytes(StateFile);
                    if (how == "cut short")
                    {
                        File.WriteAllBytes(StateFile, state.Take(state.Length / 2).ToArray());
                    }
                    else
                    {
                        // Another store of the same environment, its trial started the same second.
                        using (var second = Store.Create(other))
                        {
                            second.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose();
                        }
                        File.Copy(Path.Combine(other, "state"), StateFile, true);
                    }
                    using (var after = store.Status(validator, Fixtures.ProdSerial, TrialStart + 3600))
                    {
                        Assert.AreEqual(Standing.TrialOver, after.Standing, how + ": " + Show(after.Warnings));
                        Assert.IsFalse(after.MayRun, how);
                        AssertAltered(after, how);
                    }
                }
            }
            finally
            {
                if (Directory.Exists(other))
                {
                    Directory.Delete(other, true);
                }
            }
        }

        [Test]
        public void ADamagedStateNeverStopsALicenseAndReinstallingClearsTheWarning()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                using (var first = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Active, first.Standing);
                    CollectionAssert.IsEmpty(first.Warnings, Show(first.Warnings));
                }
                Assert.IsTrue(File.Exists(StateFile), "the status records the state");

                // One byte flipped, in the middle of the file.
                byte[] bytes = File.ReadAllBytes(StateFile);
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(StateFile, bytes);

                // Before version 2 of the state, this was CorruptState; now the license keeps running.
                using (var after = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + 3600))
                {
                    Assert.AreEqual(Standing.Active, after.Standing, "a valid license keeps running: " + Show(after.Warnings));
                    Assert.IsTrue(after.MayRun, after.RunReason);
                    Assert.IsTrue(after.MayPublish, after.PublishReason);
                    Assert.IsNotNull(after.License);
                    Assert.AreEqual(7u, after.License.Revision);
                    AssertAltered(after, "the status after the damage");
                }

                // Installing a license again (a renewal, say) clears the warning.
                using (var again = store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow + 3600))
                {
                    Assert.AreEqual(7u, again.Revision);
                }
                using (var cleared = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + 7200))
                {
                    Assert.AreEqual(Standing.Active, cleared.Standing);
                    Assert.IsTrue(cleared.MayRun);
                    CollectionAssert.IsEmpty(cleared.Warnings, "installing again clears the warning: " + Show(cleared.Warnings));
                }
            }
        }

        [Test]
        public void ReasonsOnAnEmptyStore()
        {
            using (var store = Store.Create(dir))
            using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart))
            {
                Assert.AreEqual(Standing.Trial, status.Standing);
                StringAssert.Contains("trial", status.RunReason);
                Assert.AreEqual("on the trial", status.RunReason);
                Assert.AreEqual("within the hard limits", status.PublishReason);
                Assert.AreEqual("administrators can always sign in, to install a license", status.AdministerReason);
            }
        }

        [Test]
        public void ReasonsOverAHardLimit()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                using (var over = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow,
                           new Dictionary<string, ulong> { { "application-objects", 451 }, { "internal-users", 101 } }))
                {
                    Assert.IsFalse(over.MayPublish);
                    Assert.AreEqual("over a hard limit: application-objects 451/450", over.PublishReason,
                        "names the hard limit only, not the soft one");
                    Assert.AreEqual("licensed", over.RunReason);
                    StringAssert.Contains("install a license", over.AdministerReason);
                }
            }
        }

        [Test]
        public void ReasonsWhenTheTrialIsOver()
        {
            using (var store = Store.Create(dir))
            {
                store.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose();
                using (var over = store.Status(validator, Fixtures.ProdSerial, TrialStart + 31 * Day))
                {
                    Assert.IsFalse(over.MayRun);
                    Assert.AreEqual("the trial is over and no license is installed", over.RunReason);
                    Assert.AreEqual(over.RunReason, over.PublishReason);
                    Assert.IsTrue(over.MayAdminister);
                    Assert.AreEqual("administrators can always sign in, to install a license", over.AdministerReason);
                }
            }
        }

        [Test]
        public void ReasonsAreReadPastTheFirstBuffer()
        {
            int saved = Interop.InitialStringBuffer;
            Interop.InitialStringBuffer = 4;
            try
            {
                using (var store = Store.Create(dir))
                using (var status = store.Status(validator, Fixtures.ProdSerial, TrialStart))
                {
                    Assert.AreEqual("administrators can always sign in, to install a license", status.AdministerReason);
                    Assert.AreEqual("on the trial", status.RunReason);
                }
            }
            finally
            {
                Interop.InitialStringBuffer = saved;
            }
        }

        [Test]
        public void JudgedAtIsTheTimeGivenOrTheLatestSeen()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(Fixtures.ProdNow), status.JudgedAt);
                    Assert.AreEqual(TimeSpan.Zero, status.JudgedAt.Offset, "UTC");
                }
                using (var later = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + 3600))
                {
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(Fixtures.ProdNow + 3600), later.JudgedAt);
                }
                // Turned back 10 days: judged at the latest time seen, not the clock.
                using (var back = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow - 10 * Day))
                {
                    Assert.IsTrue(back.Warnings.Any(w => w.Contains("the clock was turned back")), Show(back.Warnings));
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(Fixtures.ProdNow + 3600), back.JudgedAt);
                }
            }
        }

        [Test]
        public void AClockToleranceOfThreeDays()
        {
            string other = dir + "-default";
            try
            {
                Store.Create(dir).Dispose();
                Store.Create(other).Dispose();
                using (var tolerant = Store.Open(dir, TimeSpan.FromDays(3)))
                using (var strict = Store.Open(other))
                {
                    tolerant.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose();
                    strict.Status(validator, Fixtures.ProdSerial, TrialStart).Dispose();

                    using (var t = tolerant.Status(validator, Fixtures.ProdSerial, TrialStart - 2 * Day))
                    using (var s = strict.Status(validator, Fixtures.ProdSerial, TrialStart - 2 * Day))
                    {
                        Assert.IsFalse(t.Warnings.Any(w => w.Contains("the clock was turned back")), Show(t.Warnings));
                        Assert.IsTrue(s.Warnings.Any(w => w.Contains("the clock was turned back")), Show(s.Warnings));
                    }
                    // Beyond the 3 days the tolerant store warns too.
                    using (var t = tolerant.Status(validator, Fixtures.ProdSerial, TrialStart - 3 * Day - 1))
                    {
                        Assert.IsTrue(t.Warnings.Any(w => w.Contains("the clock was turned back")), Show(t.Warnings));
                    }
                }
                // A zero (or negative) tolerance warns at once.
                using (var zero = Store.Open(dir, TimeSpan.FromSeconds(-5)))
                using (var s = zero.Status(validator, Fixtures.ProdSerial, TrialStart - 1))
                {
                    Assert.IsTrue(s.Warnings.Any(w => w.Contains("the clock was turned back")), Show(s.Warnings));
                }
                Assert.Throws<ArgumentNullException>(() => Store.Open(null, TimeSpan.FromDays(1)));
            }
            finally
            {
                if (Directory.Exists(other))
                {
                    Directory.Delete(other, true);
                }
            }
        }

        [Test]
        public void ArgumentsAndDisposal()
        {
            Assert.Throws<ArgumentNullException>(() => Store.Open(null));
            Assert.Throws<ArgumentNullException>(() => Store.Create(null));
            Assert.Throws<ArgumentException>(() => Store.Create(dir + "\0x"));
            var store = Store.Create(dir);
            Assert.Throws<ArgumentNullException>(() => store.Install(null, new byte[0]));
            Assert.Throws<ArgumentNullException>(() => store.Install(validator, null));
            Assert.Throws<ArgumentNullException>(() => store.Restore(null));
            Assert.Throws<ArgumentNullException>(() => store.Backup(null));
            Assert.Throws<ArgumentNullException>(() => store.Status(null));
            Assert.Throws<ArgumentNullException>(() => store.PreviewStatus(null, Fixtures.ProdSerial, TrialStart));
            Assert.Throws<ArgumentException>(() =>
                store.PreviewStatus(validator, Fixtures.ProdSerial, TrialStart, new Dictionary<string, ulong> { { "a\0b", 1 } }));
            Assert.Throws<ArgumentException>(() =>
                store.Status(validator, Fixtures.ProdSerial, TrialStart, new Dictionary<string, ulong> { { "a\0b", 1 } }));

            var bad = Assert.Throws<LicensingException>(() => store.Status(validator, "not a serial", TrialStart));
            Assert.AreEqual(ResultCode.InvalidSerialNumber, bad.Code);
            var badPreview = Assert.Throws<LicensingException>(() => store.PreviewStatus(validator, "not a serial", TrialStart));
            Assert.AreEqual(ResultCode.InvalidSerialNumber, badPreview.Code);

            var status = store.Status(validator, Fixtures.ProdSerial, TrialStart);
            status.Dispose();
            status.Dispose();
            Assert.Throws<ObjectDisposedException>(() => { var s = status.Standing; });
            Assert.Throws<ObjectDisposedException>(() => { var w = status.Warnings; });
            Assert.Throws<ObjectDisposedException>(() => { var r = status.MayRun; });

            using (var other = Fixtures.TestValidator())
            {
                other.Dispose();
                Assert.Throws<ObjectDisposedException>(() => store.Status(other, Fixtures.ProdSerial, TrialStart));
            }

            store.Dispose();
            store.Dispose();
            Assert.Throws<ObjectDisposedException>(() => store.Status(validator, Fixtures.ProdSerial, TrialStart));
            Assert.Throws<ObjectDisposedException>(() => store.PreviewStatus(validator, Fixtures.ProdSerial, TrialStart));
            Assert.Throws<ObjectDisposedException>(() => store.Restore(validator, Fixtures.ProdSerial, TrialStart));
            Assert.Throws<ObjectDisposedException>(() => store.Backup(validator, Fixtures.ProdSerial, TrialStart));
        }

        [Test]
        public void TheStatusLicenseIsDisposedWithTheStatus()
        {
            using (var store = Store.Create(dir))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                License license;
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    license = status.License;
                    Assert.AreEqual(7u, license.Revision);
                }
                Assert.Throws<ObjectDisposedException>(() => { var r = license.Revision; });
            }
        }

        [Test]
        public void AStoreThatCannotBeCreated()
        {
            // A regular file where the directory should be.
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, "a-file");
            File.WriteAllText(file, "x");
            var e = Assert.Throws<LicensingException>(() => Store.Create(Path.Combine(file, "store")).Dispose());
            Assert.AreEqual(ResultCode.StoreIo, e.Code, e.Message);
            Assert.IsTrue(e.Code.IsEnvironment());
            Assert.IsNotNullOrEmpty(e.Message);
            // Opening it: there is no store there.
            var open = Assert.Throws<LicensingException>(() => Store.Open(Path.Combine(file, "store")).Dispose());
            Assert.AreEqual(ResultCode.NoStore, open.Code, open.Message);
        }
    }
}
