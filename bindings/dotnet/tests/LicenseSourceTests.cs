// LicensingLibrary.SetLicenseSource: where licenses come from, as the
// library's messages say it. The setting is the whole process's, so the
// test restores the default whatever happens; NUnit 2.6 runs the tests one
// after another (no parallel fixtures), so no other test reads a message
// while it is changed.
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class LicenseSourceTests
    {
        private static string BadSignatureMessage()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("bad-signature.lic"), Fixtures.ProdSerial, null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.BadSignature, e.Code, e.Message);
                return e.Message;
            }
        }

        [Test]
        public void MessagesNameTheLicenseSource()
        {
            StringAssert.EndsWith("get it again from your vendor", BadSignatureMessage(), "the default");
            try
            {
                LicensingLibrary.SetLicenseSource("the Acme customer portal");
                StringAssert.EndsWith("get it again from the Acme customer portal", BadSignatureMessage());

                LicensingLibrary.SetLicenseSource(null);
                StringAssert.EndsWith("get it again from your vendor", BadSignatureMessage(), "null brings back the default");

                LicensingLibrary.SetLicenseSource("the Acme customer portal");
                LicensingLibrary.SetLicenseSource("");
                StringAssert.EndsWith("get it again from your vendor", BadSignatureMessage(), "\"\" brings back the default");
            }
            finally
            {
                LicensingLibrary.SetLicenseSource(null);
            }
        }

        [Test]
        public void ATextWithANulIsRefusedBeforeTheLibrary()
        {
            try
            {
                Assert.Throws<System.ArgumentException>(() => LicensingLibrary.SetLicenseSource("the Acme\0portal"));
                StringAssert.EndsWith("get it again from your vendor", BadSignatureMessage(), "unchanged");
            }
            finally
            {
                LicensingLibrary.SetLicenseSource(null);
            }
        }
    }
}
