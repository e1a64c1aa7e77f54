// Every verdict of tests/vectors/vectors.json through the .NET binding,
// and on every valid verdict the decoded fields through the getters.
using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class VectorTests
    {
        public static IEnumerable<TestCaseData> Checks()
        {
            foreach (VectorCheck check in VectorCheck.All())
            {
                yield return new TestCaseData(check).SetName("Vector " + check);
            }
        }

        private static State ParseState(string state)
        {
            switch (state)
            {
                case "active": return State.Active;
                case "expiring-soon": return State.ExpiringSoon;
                case "in-grace": return State.InGrace;
                default: throw new ArgumentException("unknown state in vectors.json: " + state);
            }
        }

        [Test, TestCaseSource("Checks")]
        public void Verdict(VectorCheck check)
        {
            byte[] file = Fixtures.Bytes(check.File);
            using (var validator = new Validator(Fixtures.TrustedPem(check.Trusted), platformVersion: check.PlatformVersion))
            {
                if (check.ExpectedError != null)
                {
                    var expected = (ResultCode)Enum.Parse(typeof(ResultCode), check.ExpectedError);
                    var e = Assert.Throws<LicensingException>(
                        () => validator.Validate(file, check.Serial, check.ActivationCode, check.Now).Dispose());
                    Assert.AreEqual(expected, e.Code, e.Message);
                    Assert.IsNotNullOrEmpty(e.Message);
                    return;
                }
                using (License license = validator.Validate(file, check.Serial, check.ActivationCode, check.Now))
                {
                    Assert.AreEqual(ParseState(check.ExpectedState), license.State);
                    Assert.AreEqual(check.ExpectedDaysLeft, license.DaysLeft, "days left (null: never expires)");
                    Assert.IsNotNull(check.Decoded, "a valid license has decoded fields in vectors.json");
                    AssertFields(check.Decoded, license);
                }
            }
        }

        /// <summary>The getters agree with the decoded fields of vectors.json.</summary>
        internal static void AssertFields(Dictionary<string, object> d, License license)
        {
            Assert.AreEqual(d["activation_code"], license.ActivationCode);
            Assert.AreEqual(d["serial_number"], license.SerialNumber);
            Assert.AreEqual(d["organization"], license.Organization);
            Assert.AreEqual(d["edition"], license.Edition);
            Assert.AreEqual(d["support"], license.Support);
            Assert.AreEqual(d["environment_name"], license.EnvironmentName);
            Assert.AreEqual(d["license_id"], license.LicenseId);
            Assert.AreEqual((long)d["revision"], (long)license.Revision);
            Assert.AreEqual((long)d["issued_at"], license.IssuedAt.ToUnixTimeSeconds());
            if (d["expires_at"] == null)
            {
                Assert.IsNull(license.ExpiresAt);
            }
            else
            {
                Assert.AreEqual((long)d["expires_at"], license.ExpiresAt.Value.ToUnixTimeSeconds());
            }
            Assert.AreEqual(d["license_type"], license.LicenseType == LicenseType.Production ? "production" : "development");
            Assert.AreEqual(d["purpose"], PurposeName(license.Purpose));

            var features = ((List<object>)d["features"]).Cast<string>().ToList();
            CollectionAssert.AreEqual(features, license.Features.ToList());
            foreach (string feature in features)
            {
                Assert.IsTrue(license.HasFeature(feature), feature);
            }

            var limits = ((List<object>)d["limits"]).Cast<Dictionary<string, object>>().ToList();
            IReadOnlyDictionary<string, ulong> got = license.Limits;
            Assert.AreEqual(limits.Count, got.Count);
            foreach (var limit in limits)
            {
                string name = (string)limit["name"];
                ulong value = (ulong)(long)limit["value"];
                Assert.AreEqual(value, got[name], name);
                Assert.AreEqual(value, license.Limit(name), name);
                var enforcement = (string)limit["enforcement"] == "hard" ? Enforcement.Hard : Enforcement.Soft;
                Assert.AreEqual(enforcement, license.LimitEnforcement(name), name);
            }
        }

        private static string PurposeName(Purpose purpose)
        {
            switch (purpose)
            {
                case Purpose.Development: return "development";
                case Purpose.NonProduction: return "non-production";
                case Purpose.Production: return "production";
                case Purpose.Management: return "management";
                default: return "unknown " + purpose;
            }
        }

        [Test]
        public void TheVectorsHaveChecksOfEveryKind()
        {
            List<VectorCheck> all = VectorCheck.All();
            Assert.Greater(all.Count, 30, "vectors.json has dozens of checks");
            Assert.IsTrue(all.Any(c => c.ExpectedError == null));
            // Every file of vectors.json is checked at least once.
            CollectionAssert.AreEquivalent(
                Fixtures.Files.Select(f => (string)f["name"]).ToList(),
                all.Select(c => c.File).Distinct().ToList());
        }

        [Test]
        public void OneValidatorAnswersEveryCheckLikeAFreshOne()
        {
            // The validator caches verified files: the verdicts must not
            // depend on what it saw before.
            var validators = new Dictionary<string, Validator>();
            try
            {
                int checkedCount = 0;
                foreach (VectorCheck check in VectorCheck.All().Concat(VectorCheck.All()))
                {
                    string key = string.Join("+", check.Trusted) + " on " + (check.PlatformVersion ?? "(not told)");
                    Validator validator;
                    if (!validators.TryGetValue(key, out validator))
                    {
                        validator = new Validator(Fixtures.TrustedPem(check.Trusted), check.PlatformVersion);
                        validators.Add(key, validator);
                    }
                    try
                    {
                        using (License license = validator.Validate(Fixtures.Bytes(check.File), check.Serial, check.ActivationCode, check.Now))
                        {
                            Assert.IsNull(check.ExpectedError, check.ToString());
                            Assert.AreEqual(ParseState(check.ExpectedState), license.State, check.ToString());
                        }
                    }
                    catch (LicensingException e)
                    {
                        Assert.AreEqual(check.ExpectedError, e.Code.ToString(), check + ": " + e.Message);
                    }
                    checkedCount++;
                }
                Assert.Greater(checkedCount, 0);
            }
            finally
            {
                foreach (Validator v in validators.Values)
                {
                    v.Dispose();
                }
            }
        }

        [Test]
        public void TheTextFormValidatesLikeTheBinaryForm()
        {
            using (var validator = Fixtures.TestValidator())
            using (var binary = Fixtures.ValidProd(validator))
            using (var text = validator.Validate(Fixtures.Bytes("prod.pem"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
            {
                Assert.AreEqual(binary.LicenseId, text.LicenseId);
                CollectionAssert.AreEqual(binary.Features, text.Features);
                Assert.AreEqual(State.Active, text.State);
            }
        }
    }
}
