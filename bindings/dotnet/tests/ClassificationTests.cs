// What kind of failure a ResultCode is comes from the library
// (lic_result_is_*), for every code of the header and for the codes real
// failures carry.
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class ClassificationTests
    {
        // As include/licensing.h describes each classifier.
        private static readonly ResultCode[] LicenseInvalidCodes =
        {
            ResultCode.Malformed, ResultCode.UnsupportedVersion, ResultCode.UnknownKey, ResultCode.BadSignature,
            ResultCode.WrongActivationCode, ResultCode.WrongSerial, ResultCode.NotYetValid, ResultCode.Expired,
            ResultCode.UnknownCriticalExtension, ResultCode.PlatformVersionNotCovered,
        };
        private static readonly ResultCode[] MisuseCodes =
        {
            ResultCode.NullArgument, ResultCode.InvalidUtf8, ResultCode.BufferTooSmall, ResultCode.InvalidSerialNumber,
            ResultCode.InvalidActivationCode, ResultCode.IndexOutOfRange, ResultCode.InvalidPlatformVersion,
            ResultCode.InvalidEnvironmentName, ResultCode.InvalidPurpose, ResultCode.BadTrustedKeys,
        };
        private static readonly ResultCode[] EnvironmentCodes =
        {
            ResultCode.NoHardwareIdentity, ResultCode.StoreIo, ResultCode.CorruptState, ResultCode.NoStore,
            ResultCode.BadUsageSummary,
        };

        [Test]
        public void EveryCodeIsOfTheKindTheHeaderDescribes()
        {
            foreach (ResultCode code in Enum.GetValues(typeof(ResultCode)))
            {
                Assert.AreEqual(LicenseInvalidCodes.Contains(code), code.IsLicenseInvalid(), code + ".IsLicenseInvalid()");
                Assert.AreEqual(MisuseCodes.Contains(code), code.IsMisuse(), code + ".IsMisuse()");
                Assert.AreEqual(EnvironmentCodes.Contains(code), code.IsEnvironment(), code + ".IsEnvironment()");
            }
            // Success, the answers of lookups and of the store, and a bug are of no kind.
            foreach (ResultCode code in new[] { ResultCode.Ok, ResultCode.NoSuchLimit, ResultCode.NeverExpires, ResultCode.NoLicense,
                                                ResultCode.Downgrade, ResultCode.NoBackup, ResultCode.ClockResetUsed, ResultCode.Panic })
            {
                Assert.IsFalse(code.IsLicenseInvalid() || code.IsMisuse() || code.IsEnvironment(), code + " should be of no kind");
            }
        }

        [Test]
        public void AnUnknownCodeIsOfNoKind()
        {
            var unknown = (ResultCode)12345;
            Assert.IsFalse(unknown.IsLicenseInvalid());
            Assert.IsFalse(unknown.IsMisuse());
            Assert.IsFalse(unknown.IsEnvironment());
            // Inside a range but not a code: the library decides, not the number.
            Assert.IsFalse(((ResultCode)250).IsLicenseInvalid(), "250 is no code, though between 200 and 299");
        }

        [Test]
        public void TheCodesOfRealFailures()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var expired = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("expired.lic"), Fixtures.ProdSerial, null, Fixtures.ProdNow));
                Assert.IsTrue(expired.Code.IsLicenseInvalid(), expired.Code + ": " + expired.Message);
                Assert.IsFalse(expired.Code.IsMisuse());

                var badSerial = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("prod.lic"), "not a serial", null, Fixtures.ProdNow));
                Assert.IsTrue(badSerial.Code.IsMisuse(), badSerial.Code + ": " + badSerial.Message);
                Assert.IsFalse(badSerial.Code.IsLicenseInvalid());
            }
            string dir = Path.Combine(Path.GetTempPath(), "licensing-dotnet-classify-" + Guid.NewGuid().ToString("N"));
            try
            {
                // A regular file where the store's directory should be.
                Directory.CreateDirectory(dir);
                string file = Path.Combine(dir, "a-file");
                File.WriteAllText(file, "x");
                var io = Assert.Throws<LicensingException>(() => Store.Create(Path.Combine(file, "store")).Dispose());
                Assert.AreEqual(ResultCode.StoreIo, io.Code, io.Message);
                Assert.IsTrue(io.Code.IsEnvironment(), io.Code + ": " + io.Message);
                Assert.IsFalse(io.Code.IsLicenseInvalid());
                // A directory that holds no store (a mistyped path).
                var none = Assert.Throws<LicensingException>(() => Store.Open(Path.Combine(dir, "no-store-here")).Dispose());
                Assert.AreEqual(ResultCode.NoStore, none.Code, none.Message);
                Assert.IsTrue(none.Code.IsEnvironment(), none.Code + ": " + none.Message);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
