// Status.DaysLeft has one meaning in every binding (lic_status_days_left):
// until the license expires (active, expiring soon), until its grace period
// ends (in grace), until the trial ends; 0 once expired, invalid or past the
// trial; null for a license that never expires. License.DaysLeft means the
// same (VectorTests). Checked through the store at every valid verdict of
// tests/vectors/vectors.json.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class DaysLeftTests
    {
        private const long Day = 24 * 3600;
        private const string DevSerial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";

        private string work;

        [SetUp]
        public void SetUp()
        {
            work = Path.Combine(Path.GetTempPath(), "licensing-dotnet-days-" + Guid.NewGuid().ToString("N"));
        }

        [TearDown]
        public void TearDown()
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, true);
            }
        }

        private static Standing StandingOf(string state)
        {
            switch (state)
            {
                case "active": return Standing.Active;
                case "expiring-soon": return Standing.ExpiringSoon;
                case "in-grace": return Standing.InGrace;
                default: throw new ArgumentException("unknown state in vectors.json: " + state);
            }
        }

        [Test]
        public void EveryValidVectorThroughTheStore()
        {
            int checkedCount = 0;
            var seen = new HashSet<string>();
            foreach (VectorCheck check in VectorCheck.All().Where(c => c.ExpectedError == null))
            {
                using (var validator = new Validator(Fixtures.TrustedPem(check.Trusted)))
                using (var store = Store.Create(Path.Combine(work, "store-" + checkedCount)))
                {
                    store.Install(validator, Fixtures.Bytes(check.File), check.Serial, check.Now).Dispose();
                    using (var status = store.Status(validator, check.Serial, check.Now))
                    {
                        Assert.AreEqual(StandingOf(check.ExpectedState), status.Standing, check.ToString());
                        Assert.AreEqual(check.ExpectedDaysLeft, status.DaysLeft, check.ToString());
                        Assert.AreEqual(status.DaysLeft, status.License.DaysLeft, "the status and its license agree: " + check);
                    }
                }
                seen.Add(check.ExpectedState + (check.ExpectedDaysLeft.HasValue ? "" : " never expiring"));
                checkedCount++;
            }
            // The checks cover each meaning (so this test can tell them apart).
            CollectionAssert.IsSubsetOf(new[] { "active", "active never expiring", "expiring-soon", "in-grace" }, seen.ToList());
        }

        [Test]
        public void AnActiveLicenseCountsTheDaysUntilExpiry()
        {
            // What the README's example prints for prod.lic on 2026-06-01T12:00Z
            // (expiry 2028-01-01): about 19 months, not 0.
            using (var validator = Fixtures.TestValidator())
            using (var store = Store.Create(Path.Combine(work, "store")))
            {
                store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                using (var status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                {
                    Assert.AreEqual(Standing.Active, status.Standing);
                    Assert.AreEqual(579, status.DaysLeft);
                    DateTimeOffset expires = status.License.ExpiresAt.Value;
                    Assert.AreEqual(Math.Ceiling((expires - status.JudgedAt).TotalDays), (double)status.DaysLeft.Value,
                        "the days from JudgedAt to ExpiresAt");
                }
            }
        }

        [Test]
        public void ExpiredAndInvalidHaveNoDaysLeft()
        {
            using (var validator = Fixtures.TestValidator())
            {
                // expired.lic, installed in its grace period, judged after it.
                const long InGrace = 1736035200; // 2025-01-05
                using (var store = Store.Create(Path.Combine(work, "expired")))
                {
                    store.Install(validator, Fixtures.Bytes("expired.lic"), Fixtures.ProdSerial, InGrace).Dispose();
                    using (var status = store.Status(validator, Fixtures.ProdSerial, InGrace + 30 * Day))
                    {
                        Assert.AreEqual(Standing.Expired, status.Standing);
                        Assert.AreEqual(0, status.DaysLeft);
                    }
                }
                // prod.lic judged for another environment's serial.
                using (var store = Store.Create(Path.Combine(work, "invalid")))
                {
                    store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                    using (var status = store.Status(validator, DevSerial, Fixtures.ProdNow))
                    {
                        Assert.AreEqual(Standing.Invalid, status.Standing);
                        Assert.AreEqual(0, status.DaysLeft);
                    }
                }
            }
        }
    }
}
