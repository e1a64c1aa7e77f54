// The fields of prod.lic through the getters, usage levels, and the
// string getters' retry on a too-small buffer.
using System;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class LicenseTests : ProdLicenseFixture
    {
        [Test]
        public void ProdFields()
        {
            Assert.AreEqual(State.Active, prod.State);
            // Until 2028-01-01 from 2026-06-01T12:00Z: 578.5 days, a started day counting.
            Assert.AreEqual(579, prod.DaysLeft, "an active license's days until expiry");
            Assert.AreEqual("Acme Corp", prod.Organization);
            Assert.AreEqual("Enterprise", prod.Edition);
            Assert.AreEqual("premium", prod.Support);
            Assert.AreEqual("Production", prod.EnvironmentName);
            Assert.AreEqual("766563746f722d70726f642d30303031", prod.LicenseId);
            Assert.AreEqual(Fixtures.ProdSerial, prod.SerialNumber);
            Assert.AreEqual(Fixtures.ProdActivationCode, prod.ActivationCode);
            Assert.AreEqual(7u, prod.Revision);
            Assert.AreEqual(LicenseType.Production, prod.LicenseType);
            Assert.AreEqual(Purpose.Production, prod.Purpose);
            Assert.AreEqual(new DateTimeOffset(2025, 1, 15, 9, 30, 0, TimeSpan.Zero), prod.IssuedAt);
            Assert.AreEqual(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), prod.ExpiresAt);
            CollectionAssert.AreEqual(
                new[] { "api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy", "reporting", "sap-connector", "sso-oidc", "sso-saml", "workflow" },
                prod.Features);
            var limits = prod.Limits;
            Assert.AreEqual(6, limits.Count);
            Assert.AreEqual(1000000ul, limits["api-calls-per-day"]);
            Assert.AreEqual(450ul, limits["application-objects"]);
            Assert.AreEqual(10000ul, limits["external-users"]);
            Assert.AreEqual(100ul, limits["internal-users"]);
            Assert.AreEqual(500ul, limits["storage-gb"]);
            Assert.AreEqual(25ul, limits["tenants"]);
            Assert.AreEqual(Enforcement.Soft, prod.LimitEnforcement("api-calls-per-day"));
            Assert.AreEqual(Enforcement.Hard, prod.LimitEnforcement("application-objects"));
            Assert.AreEqual(Enforcement.Soft, prod.LimitEnforcement("external-users"));
            Assert.AreEqual(Enforcement.Soft, prod.LimitEnforcement("internal-users"));
            Assert.AreEqual(Enforcement.Hard, prod.LimitEnforcement("storage-gb"));
            Assert.AreEqual(Enforcement.Hard, prod.LimitEnforcement("tenants"));
        }

        [Test]
        public void FeaturesAndLimitsThatAreNotThere()
        {
            Assert.IsTrue(prod.HasFeature("sso-saml"));
            Assert.IsFalse(prod.HasFeature("time-travel"));
            Assert.IsFalse(prod.HasFeature(""));
            Assert.IsFalse(prod.HasFeature("SSO-SAML"), "feature names are case-sensitive");
            Assert.IsNull(prod.Limit("warp-drives"));
            Assert.IsNull(prod.LimitEnforcement("warp-drives"));
            Assert.Throws<ArgumentNullException>(() => prod.HasFeature(null));
            Assert.Throws<ArgumentNullException>(() => prod.Limit(null));
            Assert.IsFalse(prod.HasFeature("sso-saml\0x"), "a NUL makes it another name (NameLookupTests)");
        }

        [Test]
        public void UsageLevelsOfASoftLimit()
        {
            // internal-users: 100, soft.
            Assert.AreEqual(Usage.Within, prod.CheckUsage("internal-users", 0));
            Assert.AreEqual(Usage.Within, prod.CheckUsage("internal-users", 89));
            Assert.AreEqual(Usage.Near, prod.CheckUsage("internal-users", 90));
            Assert.AreEqual(Usage.Near, prod.CheckUsage("internal-users", 100));
            Assert.AreEqual(Usage.OverSoftLimit, prod.CheckUsage("internal-users", 101));
            Assert.AreEqual(Usage.OverSoftLimit, prod.CheckUsage("internal-users", ulong.MaxValue));
        }

        [Test]
        public void UsageLevelsOfAHardLimit()
        {
            // storage-gb: 500, hard.
            Assert.AreEqual(Usage.Within, prod.CheckUsage("storage-gb", 449));
            Assert.AreEqual(Usage.Near, prod.CheckUsage("storage-gb", 450));
            Assert.AreEqual(Usage.Near, prod.CheckUsage("storage-gb", 500));
            Assert.AreEqual(Usage.OverHardLimit, prod.CheckUsage("storage-gb", 501));
            // No such limit: unlimited.
            Assert.AreEqual(Usage.Unlimited, prod.CheckUsage("warp-drives", ulong.MaxValue));
        }

        [Test]
        public void ANeverExpiringDevelopmentLicense()
        {
            var check = VectorCheck.All().First(c => c.File == "dev-never-expires.lic" && c.ExpectedError == null);
            using (var dev = validator.Validate(Fixtures.Bytes("dev-never-expires.lic"), check.Serial, check.ActivationCode, check.Now))
            {
                Assert.IsNull(dev.ExpiresAt);
                Assert.AreEqual(LicenseType.Development, dev.LicenseType);
                Assert.AreEqual(Purpose.Development, dev.Purpose);
                Assert.AreEqual(State.Active, dev.State);
                Assert.IsNull(dev.DaysLeft, "a license that never expires has no days to count");
                Assert.AreEqual("Acme", dev.Organization);
            }
        }

        [Test]
        public void StringGettersRetryWithTheLengthNeeded([Values(0, 1, 2, 9, 10, 31, 32, 33)] int firstBuffer)
        {
            int saved = Interop.InitialStringBuffer;
            Interop.InitialStringBuffer = firstBuffer;
            try
            {
                Assert.AreEqual("Acme Corp", prod.Organization);                         // 9 bytes
                Assert.AreEqual(Fixtures.ProdSerial, prod.SerialNumber);                 // 31 bytes
                Assert.AreEqual("766563746f722d70726f642d30303031", prod.LicenseId);   // 32 bytes
                Assert.AreEqual("api-gateway", prod.Features[0]);
                Assert.AreEqual("application-objects", prod.Limits.Keys.OrderBy(k => k, StringComparer.Ordinal).ElementAt(1));
            }
            finally
            {
                Interop.InitialStringBuffer = saved;
            }
        }

        [Test]
        public void ValidatingAtNowAgreesWithValidatingAtTheClocksTime()
        {
            byte[] file = Fixtures.Bytes("prod.lic");
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string expected = Verdict(() => validator.Validate(file, Fixtures.ProdSerial, Fixtures.ProdActivationCode, now));
            string got = Verdict(() => validator.Validate(file, Fixtures.ProdSerial, Fixtures.ProdActivationCode));
            Assert.AreEqual(expected, got);
        }

        private static string Verdict(Func<License> validate)
        {
            try
            {
                using (License l = validate())
                {
                    return l.State + "/" + l.DaysLeft;
                }
            }
            catch (LicensingException e)
            {
                return e.Code.ToString();
            }
        }

        [Test]
        public void ThisMachinesSerialNumber()
        {
            string serial = null;
            try
            {
                serial = LicensingLibrary.SerialNumberThisMachine();
            }
            catch (LicensingException e)
            {
                Assert.AreEqual(ResultCode.NoHardwareIdentity, e.Code, e.Message);
            }
            byte[] file = Fixtures.Bytes("prod.lic");
            if (serial == null)
            {
                // No identity: validating for this machine fails the same way.
                var e = Assert.Throws<LicensingException>(() => validator.Validate(file, null, null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.NoHardwareIdentity, e.Code);
                return;
            }
            StringAssert.IsMatch("^[0-9A-Z]{3}(-[0-9A-Z]{3}){7}$", serial);
            Assert.AreEqual(serial, LicensingLibrary.SerialNumberThisMachine(), "stable");
            // A null serial number means this machine's.
            if (serial == Fixtures.ProdSerial)
            {
                using (var l = validator.Validate(file, null, null, Fixtures.ProdNow))
                {
                    Assert.AreEqual(State.Active, l.State);
                }
            }
            else
            {
                var e = Assert.Throws<LicensingException>(() => validator.Validate(file, null, null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.WrongSerial, e.Code);
            }
        }

        [Test]
        public void Version()
        {
            StringAssert.IsMatch(@"^\d+\.\d+\.\d+", LicensingLibrary.Version);
            StringAssert.Contains("#define LICENSING_VERSION \"" + LicensingLibrary.Version + "\"", Fixtures.HeaderText());
        }
    }
}
