// Failures, disposal and sharing a validator between threads.
using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class ErrorTests
    {
        [Test]
        public void AnInvalidSerialNumberSaysWhere()
        {
            using (var validator = Fixtures.TestValidator())
            {
                // A 'U' (not in the alphabet) at group 8, character 3.
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("prod.lic"), "1HA-009-DEZ-RD3-PJA-MNH-C1S-91U", null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.InvalidSerialNumber, e.Code);
                StringAssert.Contains("group 8", e.Message, "says where");
                StringAssert.Contains("character 3", e.Message, "says where");

                // A typo caught by the check characters: where, and the fix
                // (R for T: a neighbouring key, so the fix is suggested).
                var typo = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("prod.lic"), "1HA-009-DEZ-RD3-PJA-MNH-C1S-91R", null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.InvalidSerialNumber, typo.Code);
                StringAssert.Contains("group 8", typo.Message);
                StringAssert.Contains("'T'", typo.Message);

                var e2 = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("prod.lic"), "not a serial", null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.InvalidSerialNumber, e2.Code);
                Assert.IsNotNullOrEmpty(e2.Message);
            }
        }

        [Test]
        public void AnInvalidActivationCode()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, "not-a-code", Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.InvalidActivationCode, e.Code);
                Assert.IsNotNullOrEmpty(e.Message);
            }
        }

        [Test]
        public void BadTrustedKeys()
        {
            foreach (string pem in new[] { "", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", Fixtures.Text("test-signing-key.pem") })
            {
                var e = Assert.Throws<LicensingException>(() => new Validator(pem).Dispose(), pem);
                Assert.AreEqual(ResultCode.BadTrustedKeys, e.Code, e.Message);
                Assert.IsNotNullOrEmpty(e.Message);
                Assert.AreNotEqual(LicensingLibrary.ResultMessage(ResultCode.Ok), e.Message);
            }
            var utf8 = Assert.Throws<LicensingException>(() => new Validator(new byte[] { 0xff, 0xfe, 0x41 }).Dispose());
            Assert.AreEqual(ResultCode.InvalidUtf8, utf8.Code);
            Assert.Throws<ArgumentNullException>(() => new Validator((string)null));
            Assert.Throws<ArgumentNullException>(() => new Validator((byte[])null));
        }

        [Test]
        public void KeysAsBytesWorkLikeKeysAsText()
        {
            using (var validator = new Validator(Encoding.UTF8.GetBytes(Fixtures.TestKeyPem)))
            using (var license = Fixtures.ValidProd(validator))
            {
                Assert.AreEqual("Acme Corp", license.Organization);
            }
        }

        [Test]
        public void AnEmptyLicenseFileIsMalformed()
        {
            using (var validator = Fixtures.TestValidator())
            {
                var e = Assert.Throws<LicensingException>(() =>
                    validator.Validate(new byte[0], Fixtures.ProdSerial, null, Fixtures.ProdNow));
                Assert.AreEqual(ResultCode.Malformed, e.Code, e.Message);
                Assert.Throws<ArgumentNullException>(() => validator.Validate(null));
            }
        }

        [Test]
        public void EveryCodeHasAFixedMessage()
        {
            foreach (ResultCode code in Enum.GetValues(typeof(ResultCode)))
            {
                string message = LicensingLibrary.ResultMessage(code);
                Assert.IsNotNullOrEmpty(message, code.ToString());
                Assert.AreNotEqual("unknown result code", message, code.ToString());
            }
            Assert.AreEqual("unknown result code", LicensingLibrary.ResultMessage((ResultCode)12345));
        }

        [Test]
        public void DisposingTwiceIsSafe()
        {
            var validator = Fixtures.TestValidator();
            var license = Fixtures.ValidProd(validator);
            license.Dispose();
            license.Dispose();
            validator.Dispose();
            validator.Dispose();
        }

        [Test]
        public void UseAfterDisposeThrowsObjectDisposedException()
        {
            var validator = Fixtures.TestValidator();
            var license = Fixtures.ValidProd(validator);
            validator.Dispose();
            // A license outlives its validator.
            Assert.AreEqual("Acme Corp", license.Organization);
            Assert.Throws<ObjectDisposedException>(() => Fixtures.ValidProd(validator));
            license.Dispose();
            Assert.Throws<ObjectDisposedException>(() => { var x = license.Organization; });
            Assert.Throws<ObjectDisposedException>(() => { var x = license.State; });
            Assert.Throws<ObjectDisposedException>(() => license.HasFeature("sso-saml"));
            Assert.Throws<ObjectDisposedException>(() => license.Limit("tenants"));
            Assert.Throws<ObjectDisposedException>(() => license.CheckUsage("tenants", 1));
            Assert.Throws<ObjectDisposedException>(() => { var x = license.Features; });
            Assert.Throws<ObjectDisposedException>(() => { var x = license.Limits; });
            Assert.Throws<ObjectDisposedException>(() => { var x = license.ExpiresAt; });
        }

        [Test]
        public void EightThreadsShareAValidator()
        {
            const int Threads = 8;
            const int Rounds = 40;
            byte[] prod = Fixtures.Bytes("prod.lic");
            byte[] expired = Fixtures.Bytes("expired.lic");
            byte[] badSignature = Fixtures.Bytes("bad-signature.lic");
            using (var validator = Fixtures.TestValidator())
            {
                // Each thread's failures must come with its own message:
                // learn them on this thread first.
                string expiredMessage = Catch(() => validator.Validate(expired, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow)).Message;
                string badSignatureMessage = Catch(() => validator.Validate(badSignature, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow)).Message;
                Assert.AreNotEqual(expiredMessage, badSignatureMessage);

                var errors = new List<Exception>();
                var start = new ManualResetEvent(false);
                var threads = new List<Thread>();
                int validated = 0;
                for (int t = 0; t < Threads; t++)
                {
                    int id = t;
                    var thread = new Thread(() =>
                    {
                        try
                        {
                            start.WaitOne();
                            for (int i = 0; i < Rounds; i++)
                            {
                                using (var license = validator.Validate(prod, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
                                {
                                    Assert.AreEqual(State.Active, license.State);
                                    Assert.AreEqual("Acme Corp", license.Organization);
                                    Assert.AreEqual(10, license.Features.Count);
                                    Assert.AreEqual(Usage.OverHardLimit, license.CheckUsage("tenants", 26));
                                }
                                if ((id + i) % 2 == 0)
                                {
                                    var e = Catch(() => validator.Validate(expired, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow));
                                    Assert.AreEqual(ResultCode.Expired, e.Code);
                                    Assert.AreEqual(expiredMessage, e.Message);
                                }
                                else
                                {
                                    var e = Catch(() => validator.Validate(badSignature, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow));
                                    Assert.AreEqual(ResultCode.BadSignature, e.Code);
                                    Assert.AreEqual(badSignatureMessage, e.Message);
                                }
                                Interlocked.Increment(ref validated);
                            }
                        }
                        catch (Exception e)
                        {
                            lock (errors)
                            {
                                errors.Add(e);
                            }
                        }
                    });
                    thread.Start();
                    threads.Add(thread);
                }
                start.Set();
                foreach (var thread in threads)
                {
                    Assert.IsTrue(thread.Join(TimeSpan.FromMinutes(2)), "a thread hung");
                }
                if (errors.Count > 0)
                {
                    Assert.Fail(errors.Count + " thread failures; first: " + errors[0]);
                }
                Assert.AreEqual(Threads * Rounds, validated);
            }
        }

        private static LicensingException Catch(Func<License> validate)
        {
            try
            {
                validate().Dispose();
            }
            catch (LicensingException e)
            {
                return e;
            }
            throw new AssertionException("expected a LicensingException");
        }
    }
}
