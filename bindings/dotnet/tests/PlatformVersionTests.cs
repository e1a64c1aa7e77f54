// Format version 2 through the .NET binding: a validator told its platform
// version (new Validator(pem, platformVersion: "11.14"), calling
// lic_validator_new_for_platform) judging capped.lic (a cap of 11.14), a
// text that is not a version, and a license carrying a critical extension
// this library does not know. The comparison of versions is the library's.
using System;
using System.Text;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class PlatformVersionTests
    {
        private static License ValidateCapped(string platformVersion)
        {
            using (var validator = new Validator(Fixtures.TestKeyPem, platformVersion: platformVersion))
            {
                return validator.Validate(Fixtures.Bytes("capped.lic"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow);
            }
        }

        [Test]
        public void CappedIsValidForACoveredVersion([Values("11.14", "11.9", "11.14.3", null)] string version)
        {
            using (License license = ValidateCapped(version))
            {
                Assert.AreEqual(State.Active, license.State);
                Assert.AreEqual(Fixtures.ProdSerial, license.SerialNumber);
            }
        }

        [Test]
        public void EveryConstructorTakesTheVersionOrNone()
        {
            byte[] capped = Fixtures.Bytes("capped.lic");
            byte[] pemBytes = new UTF8Encoding(false).GetBytes(Fixtures.TestKeyPem);
            foreach (Validator validator in new[]
            {
                new Validator(Fixtures.TestKeyPem),
                new Validator(pemBytes),
                new Validator(pemBytes, "11.14"),
                new Validator(pemBytes, platformVersion: null),
            })
            {
                using (validator)
                using (License license = validator.Validate(capped, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
                {
                    Assert.AreEqual(State.Active, license.State);
                }
            }
        }

        [Test]
        public void CappedIsRefusedForALaterVersion([Values("11.15", "12")] string version)
        {
            var e = Assert.Throws<LicensingException>(() => ValidateCapped(version).Dispose());
            Assert.AreEqual(ResultCode.PlatformVersionNotCovered, e.Code, e.Message);
            Assert.AreEqual(209u, (uint)e.Code);
            Assert.IsTrue(e.Code.IsLicenseInvalid(), "the C library says the license is not valid here");
            StringAssert.Contains("11.14", e.Message, "the message names the cap");
            StringAssert.Contains(version, e.Message, "the message names this runtime's version");
        }

        [Test]
        public void ALicenseWithoutACapIsValidForAnyVersion()
        {
            using (var validator = new Validator(Fixtures.TestKeyPem, platformVersion: "11.15"))
            {
                using (License license = validator.Validate(Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
                {
                    Assert.AreEqual(State.Active, license.State);
                }
                // The same validator refuses capped.lic, again and again (the cache keeps no verdict).
                for (int i = 0; i < 2; i++)
                {
                    var e = Assert.Throws<LicensingException>(() =>
                        validator.Validate(Fixtures.Bytes("capped.lic"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow).Dispose());
                    Assert.AreEqual(ResultCode.PlatformVersionNotCovered, e.Code, e.Message);
                }
            }
        }

        [Test]
        public void ATextThatIsNotAVersionIsMisuse([Values("11.x", "", "v11", "11..14", "-1", "1.2.3.4.5.6.7.8.9")] string text)
        {
            var e = Assert.Throws<LicensingException>(() => new Validator(Fixtures.TestKeyPem, platformVersion: text).Dispose());
            Assert.AreEqual(ResultCode.InvalidPlatformVersion, e.Code, e.Message);
            Assert.IsTrue(e.Code.IsMisuse(), "a version that is not one is the caller's mistake");
            Assert.IsNotNullOrEmpty(e.Message);
        }

        [Test]
        public void TheVersionMessageSaysWhichPart()
        {
            var e = Assert.Throws<LicensingException>(() => new Validator(Fixtures.TestKeyPem, "11.x").Dispose());
            StringAssert.Contains("part 2 ('x') is not a number", e.Message);
        }

        [Test]
        public void AVersionWithANulIsRefusedBeforeTheCall()
        {
            var e = Assert.Throws<ArgumentException>(() => new Validator(Fixtures.TestKeyPem, "11\0.14").Dispose());
            Assert.AreEqual("platformVersion", e.ParamName);
        }

        [Test]
        public void BadKeysAreStillBadKeysWithAVersion()
        {
            var e = Assert.Throws<LicensingException>(() => new Validator("hello", "11.14").Dispose());
            Assert.AreEqual(ResultCode.BadTrustedKeys, e.Code, e.Message);
        }

        [Test]
        public void UnknownCriticalExtensionIsRefused()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("unknown-critical-extension.lic"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow).Dispose());
                Assert.AreEqual(ResultCode.UnknownCriticalExtension, e.Code, e.Message);
                Assert.AreEqual(208u, (uint)e.Code);
                Assert.IsTrue(e.Code.IsLicenseInvalid());
                StringAssert.Contains("1001", e.Message);
            }
        }

        [Test]
        public void Version2FilesWithoutACriticalUnknownAreValid([Values("unknown-extension.lic", "summed-limits.lic")] string name)
        {
            using (var validator = new Validator(Fixtures.TestKeyPem, platformVersion: "11.14"))
            using (License license = validator.Validate(Fixtures.Bytes(name), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
            {
                Assert.AreEqual(State.Active, license.State);
            }
        }

        [Test]
        public void Version9IsUnsupported()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("version-9.lic"), Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow).Dispose());
                Assert.AreEqual(ResultCode.UnsupportedVersion, e.Code, e.Message);
            }
        }
    }
}
