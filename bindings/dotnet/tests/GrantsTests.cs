// The vendor's grants through the store (a trial extension, a clock reset)
// and an anchor kept by the host through IAnchor, as tests/c/grants.c
// tests them through the C ABI.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class GrantsTests
    {
        private const long Day = 24 * 3600;
        private const string DevSerial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";
        // trial-extension.lic's end: 2027-04-01T00:00:00Z.
        private const long ExtensionUntil = 1806537600;
        // clock-reset.lic's time: 2026-06-01T12:00:00Z.
        private const long ResetAt = 1780315200;
        // 2100-01-01T00:00:00Z: a clock set far ahead by mistake.
        private const long FarAhead = 4102444800;

        private readonly List<string> dirs = new List<string>();
        private string dir;
        private Validator validator;

        [SetUp]
        public void SetUp()
        {
            dir = NewDir();
            validator = Fixtures.TestValidator();
        }

        [TearDown]
        public void TearDown()
        {
            validator.Dispose();
            foreach (string d in dirs)
            {
                if (Directory.Exists(d))
                {
                    Directory.Delete(d, true);
                }
            }
        }

        private string NewDir()
        {
            string d = Path.Combine(Path.GetTempPath(), "licensing-dotnet-grants-" + Guid.NewGuid().ToString("N"));
            dirs.Add(d);
            return d;
        }

        private static string Show(IEnumerable<string> warnings)
        {
            return "[" + string.Join(" | ", warnings) + "]";
        }

        private Standing StandingAt(Store store, long at)
        {
            using (var status = store.Status(validator, Fixtures.ProdSerial, at))
            {
                return status.Standing;
            }
        }

        // ---- trial extension -------------------------------------------------

        [Test]
        public void ATrialExtensionMakesATrialThatIsOverATrialAgain()
        {
            using (var store = Store.Create(dir))
            {
                long t0 = Fixtures.ProdNow;
                using (var first = store.Status(validator, Fixtures.ProdSerial, t0))
                {
                    Assert.AreEqual(Standing.Trial, first.Standing);
                    Assert.AreEqual(30, first.DaysLeft);
                }
                // The state edited by hand: the trial is over.
                File.WriteAllText(Path.Combine(dir, "state"), "trial-started=4102444800\n");
                Assert.AreEqual(Standing.TrialOver, StandingAt(store, t0 + Day));

                byte[] extension = Fixtures.Bytes("trial-extension.lic");
                long until = store.InstallTrialExtension(validator, extension, Fixtures.ProdSerial, t0 + Day);
                Assert.AreEqual(ExtensionUntil, until, "the trial's new end: 2027-04-01T00:00:00Z");

                using (var again = store.Status(validator, Fixtures.ProdSerial, t0 + 2 * Day))
                {
                    Assert.AreEqual(Standing.Trial, again.Standing, "a trial again: " + Show(again.Warnings));
                    Assert.AreEqual((int)((ExtensionUntil - (t0 + 2 * Day) + Day - 1) / Day), again.DaysLeft,
                        "days until the extension's end");
                    Assert.IsTrue(again.MayRun);
                    Assert.IsNull(again.License);
                }
                Assert.AreEqual(Standing.TrialOver, StandingAt(store, ExtensionUntil), "over at the extension's end");
            }
        }

        [Test]
        public void ARefusedTrialExtensionLeavesTheTrialOver()
        {
            using (var store = Store.Create(dir))
            {
                long t0 = Fixtures.ProdNow;
                store.Status(validator, Fixtures.ProdSerial, t0).Dispose();
                File.WriteAllText(Path.Combine(dir, "state"), "trial-started=4102444800\n");
                Assert.AreEqual(Standing.TrialOver, StandingAt(store, t0 + Day));
                byte[] extension = Fixtures.Bytes("trial-extension.lic");

                var wrongSerial = Assert.Throws<LicensingException>(() =>
                    store.InstallTrialExtension(validator, extension, DevSerial, t0));
                Assert.AreEqual(ResultCode.WrongSerial, wrongSerial.Code, wrongSerial.Message);
                StringAssert.Contains("the trial extension is for serial " + Fixtures.ProdSerial, wrongSerial.Message);
                Assert.IsTrue(wrongSerial.Code.IsLicenseInvalid());

                var notAnExtension = Assert.Throws<LicensingException>(() =>
                    store.InstallTrialExtension(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, t0));
                Assert.AreEqual(ResultCode.Malformed, notAnExtension.Code, notAnExtension.Message);
                StringAssert.Contains("not a trial extension file", notAnExtension.Message);

                using (var stranger = new Validator(Fixtures.Text("untrusted-public-key.pem")))
                {
                    var unknown = Assert.Throws<LicensingException>(() =>
                        store.InstallTrialExtension(stranger, extension, Fixtures.ProdSerial, t0));
                    Assert.AreEqual(ResultCode.UnknownKey, unknown.Code, unknown.Message);
                }

                byte[] altered = (byte[])extension.Clone();
                altered[70] ^= 0x01; // inside the signature
                var badSignature = Assert.Throws<LicensingException>(() =>
                    store.InstallTrialExtension(validator, altered, Fixtures.ProdSerial, t0));
                Assert.AreEqual(ResultCode.BadSignature, badSignature.Code, badSignature.Message);

                var badSerial = Assert.Throws<LicensingException>(() =>
                    store.InstallTrialExtension(validator, extension, "not a serial", t0));
                Assert.AreEqual(ResultCode.InvalidSerialNumber, badSerial.Code, badSerial.Message);

                Assert.AreEqual(Standing.TrialOver, StandingAt(store, t0 + Day), "the refusals changed nothing");
            }
        }

        // ---- clock reset -----------------------------------------------------

        [Test]
        public void AClockResetUndoesAClockSetFarAheadOnce()
        {
            using (var store = Store.Create(dir))
            {
                long t0 = ResetAt - Day;
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, t0).Dispose();
                // The clock set to 2100 by mistake, then fixed: judged in 2100.
                Assert.AreEqual(Standing.Expired, StandingAt(store, FarAhead));
                using (var back = store.Status(validator, Fixtures.ProdSerial, t0))
                {
                    Assert.AreEqual(Standing.Expired, back.Standing, "judged at the latest time seen, in 2100");
                    Assert.IsTrue(back.Warnings.Any(w => w.Contains("clock")), "a clock warning: " + Show(back.Warnings));
                    Assert.IsFalse(back.MayRun);
                }

                byte[] reset = Fixtures.Bytes("clock-reset.lic");
                long latest = store.ResetClock(validator, reset, Fixtures.ProdSerial, t0);
                Assert.AreEqual(ResetAt, latest, "the reset's time, later than the clock here");

                using (var now = store.Status(validator, Fixtures.ProdSerial, ResetAt))
                {
                    Assert.AreEqual(Standing.Active, now.Standing, Show(now.Warnings));
                    CollectionAssert.IsEmpty(now.Warnings, "no clock warning after the reset: " + Show(now.Warnings));
                    Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(ResetAt), now.JudgedAt);
                    Assert.IsTrue(now.MayRun);
                    Assert.AreEqual(7u, now.License.Revision);
                }

                // Once only.
                var used = Assert.Throws<LicensingException>(() =>
                    store.ResetClock(validator, reset, Fixtures.ProdSerial, ResetAt));
                Assert.AreEqual(ResultCode.ClockResetUsed, used.Code, used.Message);
                Assert.AreEqual(505, (int)used.Code);
                StringAssert.Contains("already applied", used.Message);
                Assert.IsFalse(used.Code.IsMisuse() || used.Code.IsEnvironment() || used.Code.IsLicenseInvalid(),
                    "ClockResetUsed is an answer, of no kind");
            }
        }

        [Test]
        public void ARefusedClockResetChangesNothing()
        {
            using (var store = Store.Create(dir))
            {
                long t0 = ResetAt - Day;
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, t0).Dispose();
                Assert.AreEqual(Standing.Expired, StandingAt(store, FarAhead));
                byte[] reset = Fixtures.Bytes("clock-reset.lic");

                var wrongSerial = Assert.Throws<LicensingException>(() =>
                    store.ResetClock(validator, reset, DevSerial, t0));
                Assert.AreEqual(ResultCode.WrongSerial, wrongSerial.Code, wrongSerial.Message);

                var notAReset = Assert.Throws<LicensingException>(() =>
                    store.ResetClock(validator, Fixtures.Bytes("trial-extension.lic"), Fixtures.ProdSerial, t0));
                Assert.AreEqual(ResultCode.Malformed, notAReset.Code, notAReset.Message);
                StringAssert.Contains("not a clock reset file", notAReset.Message);

                using (var stranger = new Validator(Fixtures.Text("untrusted-public-key.pem")))
                {
                    var unknown = Assert.Throws<LicensingException>(() =>
                        store.ResetClock(stranger, reset, Fixtures.ProdSerial, t0));
                    Assert.AreEqual(ResultCode.UnknownKey, unknown.Code, unknown.Message);
                }

                // Still judged in 2100, and the reset still unused.
                Assert.AreEqual(Standing.Expired, StandingAt(store, t0));
                Assert.AreEqual(ResetAt, store.ResetClock(validator, reset, Fixtures.ProdSerial, t0));
            }
        }

        [Test]
        public void GrantArgumentsAndDisposal()
        {
            byte[] extension = Fixtures.Bytes("trial-extension.lic");
            byte[] reset = Fixtures.Bytes("clock-reset.lic");
            var store = Store.Create(dir);
            Assert.Throws<ArgumentNullException>(() => store.InstallTrialExtension(null, extension));
            Assert.Throws<ArgumentNullException>(() => store.InstallTrialExtension(validator, null));
            Assert.Throws<ArgumentNullException>(() => store.ResetClock(null, reset));
            Assert.Throws<ArgumentNullException>(() => store.ResetClock(validator, null));
            Assert.Throws<ArgumentNullException>(() => store.WithAnchor(null));
            Assert.Throws<ArgumentException>(() => store.InstallTrialExtension(validator, extension, "a\0b"));
            Assert.Throws<ArgumentException>(() => store.ResetClock(validator, reset, "a\0b"));
            var empty = Assert.Throws<LicensingException>(() =>
                store.InstallTrialExtension(validator, new byte[0], Fixtures.ProdSerial, Fixtures.ProdNow));
            Assert.AreEqual(ResultCode.Malformed, empty.Code, empty.Message);

            store.Dispose();
            Assert.Throws<ObjectDisposedException>(() => store.InstallTrialExtension(validator, extension, Fixtures.ProdSerial));
            Assert.Throws<ObjectDisposedException>(() => store.ResetClock(validator, reset, Fixtures.ProdSerial));
            Assert.Throws<ObjectDisposedException>(() => store.WithAnchor(new MemoryAnchor()));
        }

        // ---- anchors ---------------------------------------------------------

        /// <summary>An anchor of the host's: a dictionary in memory, thread-safe, counting its calls.</summary>
        private sealed class MemoryAnchor : IAnchor
        {
            private readonly object gate = new object();
            private readonly Dictionary<string, byte[]> saved = new Dictionary<string, byte[]>();
            private int loads, saves;

            public int Loads
            {
                get { lock (gate) { return loads; } }
            }

            public int Saves
            {
                get { lock (gate) { return saves; } }
            }

            public Dictionary<string, byte[]> Saved
            {
                get { lock (gate) { return new Dictionary<string, byte[]>(saved); } }
            }

            public byte[] Load(string key)
            {
                lock (gate)
                {
                    loads++;
                    byte[] data;
                    return saved.TryGetValue(key, out data) ? (byte[])data.Clone() : null;
                }
            }

            public void Save(string key, byte[] data)
            {
                lock (gate)
                {
                    saves++;
                    saved[key] = (byte[])data.Clone();
                }
            }
        }

        /// <summary>How an anchor can fail.</summary>
        public enum Failure
        {
            Throws,
            TooLong,
        }

        /// <summary>An anchor that fails: throws, or loads more bytes than the buffer holds (and throws when saving).</summary>
        private sealed class FailingAnchor : IAnchor
        {
            private readonly Failure how;
            public int Loads, Saves;

            public FailingAnchor(Failure how)
            {
                this.how = how;
            }

            public byte[] Load(string key)
            {
                Interlocked.Increment(ref Loads);
                if (how == Failure.TooLong)
                {
                    return new byte[1024 + 4000];
                }
                throw new IOException("the anchor's database is down");
            }

            public void Save(string key, byte[] data)
            {
                Interlocked.Increment(ref Saves);
                throw new IOException("the anchor's database is down");
            }
        }

        [Test]
        public void AnAnchorRemembersTheTrialWhenTheStateIsDeleted()
        {
            var memory = new MemoryAnchor();
            Store store;
            using (var plain = Store.Create(dir))
            {
                store = plain.WithAnchor(memory);
                Assert.AreNotSame(plain, store);
            } // the anchored store is a store of its own
            using (store)
            {
                long t0 = Fixtures.ProdNow;
                using (var first = store.Status(validator, Fixtures.ProdSerial, t0))
                {
                    Assert.AreEqual(Standing.Trial, first.Standing);
                    Assert.AreEqual(30, first.DaysLeft);
                }
                Assert.GreaterOrEqual(memory.Saves, 1, "the trial's start saved in the anchor");
                var saved = memory.Saved;
                Assert.AreEqual(1, saved.Count, "one key per store and environment");
                string key = saved.Keys.Single();
                Assert.IsTrue(Regex.IsMatch(key, "^[0-9a-f]+$"), "a hex key: " + key);
                byte[] record = saved[key];
                Assert.LessOrEqual(record.Length, 1024);
                StringAssert.StartsWith("licensing-anchor 1\n", Encoding.ASCII.GetString(record));

                using (var week = store.Status(validator, Fixtures.ProdSerial, t0 + 7 * Day))
                {
                    Assert.AreEqual(Standing.Trial, week.Standing);
                    Assert.AreEqual(23, week.DaysLeft);
                }
                Assert.GreaterOrEqual(memory.Loads, 1, "the anchor is read back");

                // Deleting the state (and the store's id) no longer restarts
                // the trial: the anchor remembers this store was used.
                File.Delete(Path.Combine(dir, "state"));
                File.Delete(Path.Combine(dir, "store-id"));
                using (var after = store.Status(validator, Fixtures.ProdSerial, t0 + 8 * Day))
                {
                    Assert.AreEqual(Standing.TrialOver, after.Standing, Show(after.Warnings));
                    Assert.IsTrue(after.Warnings.Any(w => w.Contains("altered or reset")), Show(after.Warnings));
                    Assert.IsFalse(after.MayRun);
                }
            }
        }

        [Test]
        public void AFailingAnchorNeverStopsTheStore([Values(Failure.Throws, Failure.TooLong)] Failure how)
        {
            var failing = new FailingAnchor(how);
            using (var plain = Store.Create(dir))
            using (var store = plain.WithAnchor(failing))
            {
                using (var first = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Trial, first.Standing, Show(first.Warnings));
                    Assert.AreEqual(30, first.DaysLeft);
                }
                using (var next = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + Day))
                {
                    Assert.AreEqual(Standing.Trial, next.Standing, Show(next.Warnings));
                    Assert.AreEqual(29, next.DaysLeft);
                }
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow + Day).Dispose();
                Assert.AreEqual(Standing.Active, StandingAt(store, Fixtures.ProdNow + Day));
                Assert.GreaterOrEqual(Thread.VolatileRead(ref failing.Loads), 1, "Load was called");
                Assert.GreaterOrEqual(Thread.VolatileRead(ref failing.Saves), 1, "Save was called");
            }
        }

        [Test]
        public void TheOriginalStoreStaysUsableAndTheAnchoredOneOutlivesIt()
        {
            var memory = new MemoryAnchor();
            using (var plain = Store.Create(dir))
            using (var anchored = plain.WithAnchor(memory))
            {
                // The same directory, seen by both.
                plain.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                Assert.AreEqual(Standing.Active, StandingAt(anchored, Fixtures.ProdNow));
                plain.Dispose();
                Assert.Throws<ObjectDisposedException>(() => plain.WithAnchor(memory));
                Assert.AreEqual(Standing.Active, StandingAt(anchored, Fixtures.ProdNow + Day), "after the original is disposed");
                // An anchored store can be anchored again (a new store, its own anchor).
                var second = new MemoryAnchor();
                using (var again = anchored.WithAnchor(second))
                {
                    Assert.AreEqual(Standing.Active, StandingAt(again, Fixtures.ProdNow + Day));
                    Assert.GreaterOrEqual(second.Loads + second.Saves, 1, "the new store uses its own anchor");
                }
                Assert.AreEqual(Standing.Active, StandingAt(anchored, Fixtures.ProdNow + Day));
            }
        }

        [Test]
        public void TheCallbacksSurviveGarbageCollection()
        {
            // Only the anchored store refers to the anchor and its delegates:
            // they must stay reachable as long as it lives (on Mono a freed
            // thunk may still run by luck, so reachability is what is checked).
            WeakReference anchor;
            Store store = AnchoredStore(dir, out anchor);
            using (store)
            {
                for (int i = 0; i < 3; i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    Assert.IsTrue(anchor.IsAlive, "the anchor was collected while its store lives");
                    var memory = (MemoryAnchor)anchor.Target;
                    int calls = memory.Loads + memory.Saves;
                    using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + i * Day))
                    {
                        Assert.AreEqual(Standing.Trial, status.Standing, Show(status.Warnings));
                        Assert.AreEqual(30 - i, status.DaysLeft);
                    }
                    Assert.Greater(memory.Loads + memory.Saves, calls, "after a collection, the store's callbacks still reach the anchor");
                    memory = null;
                }
            }
            // A store dropped without Dispose: its finalizer frees it, callbacks and all.
            WeakReference dropped;
            AnchoredStore(NewDir(), out dropped);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Store AnchoredStore(string path, out WeakReference anchor)
        {
            var memory = new MemoryAnchor();
            anchor = new WeakReference(memory);
            using (var plain = Store.Create(path))
            {
                return plain.WithAnchor(memory);
            }
        }

        [Test]
        public void AnAnchorIsCalledFromWhicheverThreadUsesTheStore()
        {
            var memory = new MemoryAnchor();
            using (var plain = Store.Create(dir))
            using (var store = plain.WithAnchor(memory))
            {
                store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                int before = memory.Loads + memory.Saves;
                var errors = new List<Exception>();
                var threads = Enumerable.Range(0, 4).Select(n => new Thread(() =>
                {
                    try
                    {
                        for (int i = 0; i < 5; i++)
                        {
                            using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow + Day))
                            {
                                Assert.AreEqual(Standing.Trial, status.Standing, Show(status.Warnings));
                                Assert.AreEqual(29, status.DaysLeft);
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        lock (errors)
                        {
                            errors.Add(e);
                        }
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                CollectionAssert.IsEmpty(errors, string.Join("\n", errors.Select(e => e.ToString())));
                Assert.Greater(memory.Loads + memory.Saves, before, "the threads' statuses went through the anchor");
            }
        }
    }
}
