// HasFeature, Limit, LimitEnforcement and CheckUsage answer from the
// collections read once per verification (LicenseData.cs): they must answer
// as the NUL-terminated C functions do, and names that no license can hold
// (a NUL inside, the empty name, an unpaired surrogate) are absent from
// every lookup rather than an error. NativeAgreementTests compares them with
// the C ABI on every valid vector.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class NameLookupTests : ProdLicenseFixture
    {
        // Near misses of prod.lic's names: case, prefix, suffix, separators, non-ASCII.
        private static readonly string[] AbsentNames =
        {
            "time-travel", "warp-drives", "SSO-SAML", "sso-sam", "sso-samlx", " sso-saml", "sso_saml",
            "tenant", "tenantsx", "Tenants", "storage-gb ", "-", "é", "ünïcödé-fëätürë", "\U0001F600",
        };

        private bool HasFeatureZ(string name)
        {
            return NativeMethods.lic_license_has_feature(prod.Handle, Interop.ToUtf8Z(name, "name"));
        }

        private Usage CheckUsageZ(string name, ulong usage)
        {
            uint level;
            Interop.Check(NativeMethods.lic_license_check_usage(prod.Handle, Interop.ToUtf8Z(name, "name"), usage, out level));
            return (Usage)level;
        }

        private IEnumerable<string> Names()
        {
            return prod.Features.Concat(prod.Limits.Keys).Concat(AbsentNames);
        }

        [Test]
        public void HasFeatureAnswersAsTheNulTerminatedFunction()
        {
            Assert.AreEqual(10, prod.Features.Count);
            foreach (string name in prod.Features)
            {
                Assert.IsTrue(prod.HasFeature(name), name);
            }
            foreach (string name in Names())
            {
                Assert.AreEqual(HasFeatureZ(name), prod.HasFeature(name), name);
            }
            foreach (string name in AbsentNames)
            {
                Assert.IsFalse(prod.HasFeature(name), name);
            }
        }

        [Test]
        public void CheckUsageAnswersAsTheNulTerminatedFunction()
        {
            var limits = prod.Limits;
            Assert.AreEqual(6, limits.Count);
            foreach (string name in Names())
            {
                ulong limit = limits.ContainsKey(name) ? limits[name] : 100;
                foreach (ulong usage in new[] { 0ul, 1ul, limit * 9 / 10 - 1, limit * 9 / 10, limit, limit + 1, ulong.MaxValue })
                {
                    Assert.AreEqual(CheckUsageZ(name, usage), prod.CheckUsage(name, usage), name + " at " + usage);
                }
            }
            foreach (string name in AbsentNames)
            {
                Assert.AreEqual(Usage.Unlimited, prod.CheckUsage(name, ulong.MaxValue), name);
            }
            Assert.AreEqual(Usage.OverHardLimit, prod.CheckUsage("tenants", 26));
            Assert.AreEqual(Usage.OverSoftLimit, prod.CheckUsage("external-users", 10001));
        }

        [Test]
        public void LimitAnswersAsTheNulTerminatedFunctions()
        {
            int found = 0;
            foreach (string name in Names())
            {
                byte[] z = Interop.ToUtf8Z(name, "name");
                ulong value;
                uint rc = NativeMethods.lic_license_limit(prod.Handle, z, out value);
                uint enforcement;
                Assert.AreEqual(rc, NativeMethods.lic_license_limit_enforcement(prod.Handle, z, out enforcement), name);
                if (rc == (uint)ResultCode.NoSuchLimit)
                {
                    Assert.IsNull(prod.Limit(name), name);
                    Assert.IsNull(prod.LimitEnforcement(name), name);
                    continue;
                }
                Assert.AreEqual(0u, rc, name);
                found++;
                Assert.AreEqual(value, prod.Limit(name), name);
                Assert.AreEqual((Enforcement)enforcement, prod.LimitEnforcement(name), name);
            }
            Assert.AreEqual(prod.Limits.Count, found);
        }

        [Test]
        public void ANameWithANulIsAbsent()
        {
            // With a NUL-terminated string, "sso-saml\0" would have been cut
            // to "sso-saml" and found: with a length it is another name.
            foreach (string name in new[] { "sso-saml\0", "sso-saml\0x", "\0sso-saml", "\0", "sso\0saml" })
            {
                Assert.IsFalse(prod.HasFeature(name), Printable(name));
            }
            foreach (string name in new[] { "storage-gb\0", "storage-gb\0x", "\0storage-gb", "\0", "storage\0-gb" })
            {
                Assert.AreEqual(Usage.Unlimited, prod.CheckUsage(name, 501), Printable(name));
                Assert.AreEqual(Usage.Unlimited, prod.CheckUsage(name, 0), Printable(name));
                // The lookups without an _n variant agree: no such limit.
                Assert.IsNull(prod.Limit(name), Printable(name));
                Assert.IsNull(prod.LimitEnforcement(name), Printable(name));
            }
            // The same through the C functions directly.
            byte[] withNul = Encoding.UTF8.GetBytes("sso-saml\0x");
            Assert.IsFalse(NativeMethods.lic_license_has_feature_n(prod.Handle, withNul, (UIntPtr)withNul.Length));
            Assert.IsTrue(NativeMethods.lic_license_has_feature_n(prod.Handle, withNul, (UIntPtr)8), "the first 8 bytes are sso-saml");
        }

        [Test]
        public void TheEmptyNameIsAbsent()
        {
            Assert.IsFalse(prod.HasFeature(""));
            Assert.AreEqual(Usage.Unlimited, prod.CheckUsage("", 0));
            Assert.AreEqual(Usage.Unlimited, prod.CheckUsage("", ulong.MaxValue));
            Assert.IsNull(prod.Limit(""));
            Assert.IsNull(prod.LimitEnforcement(""));
            // An empty array and NULL with length 0 are both the empty name.
            Assert.IsFalse(NativeMethods.lic_license_has_feature_n(prod.Handle, new byte[0], UIntPtr.Zero));
            Assert.IsFalse(NativeMethods.lic_license_has_feature_n(prod.Handle, null, UIntPtr.Zero));
            uint level = 99;
            Assert.AreEqual((uint)ResultCode.Ok, NativeMethods.lic_license_check_usage_n(prod.Handle, null, UIntPtr.Zero, 5, out level));
            Assert.AreEqual((uint)Usage.Unlimited, level);
            // NULL with a length is not a name.
            Assert.IsFalse(NativeMethods.lic_license_has_feature_n(prod.Handle, null, (UIntPtr)3));
            Assert.AreEqual((uint)ResultCode.NullArgument, NativeMethods.lic_license_check_usage_n(prod.Handle, null, (UIntPtr)3, 5, out level));
        }

        [Test]
        public void AnUnpairedSurrogateMatchesNothing()
        {
            // Encoding.UTF8 would encode a lone surrogate as U+FFFD (EF BF BD),
            // a different, valid name; the binding does not send it at all.
            CollectionAssert.AreEqual(new byte[] { 0x61, 0xEF, 0xBF, 0xBD }, Encoding.UTF8.GetBytes("a\uD800"));
            foreach (string name in new[] { "\uD800", "\uDC00", "sso-saml\uD83D", "\uDE00sso-saml", "storage-gb\uDBFF", "\uDC00\uD800" })
            {
                Assert.IsFalse(prod.HasFeature(name), Printable(name));
                Assert.AreEqual(Usage.Unlimited, prod.CheckUsage(name, ulong.MaxValue), Printable(name));
                Assert.IsNull(prod.Limit(name), Printable(name));
                Assert.IsNull(prod.LimitEnforcement(name), Printable(name));
            }
            // A surrogate pair is a character like any other.
            Assert.IsFalse(prod.HasFeature("sso-saml\uD83D\uDE00"));
            Assert.AreEqual(Usage.Unlimited, prod.CheckUsage("storage-gb\uD83D\uDE00", 501));
            // Bytes that are not UTF-8 through the C functions directly:
            // has_feature_n says no, check_usage_n says LIC_INVALID_UTF8.
            byte[] bad = { 0x73, 0xFF, 0xED, 0xA0, 0x80 };
            Assert.IsFalse(NativeMethods.lic_license_has_feature_n(prod.Handle, bad, (UIntPtr)bad.Length));
            uint level;
            uint rc = NativeMethods.lic_license_check_usage_n(prod.Handle, bad, (UIntPtr)bad.Length, 1, out level);
            Assert.AreEqual((uint)ResultCode.InvalidUtf8, rc);
            StringAssert.Contains("UTF-8", Interop.LastErrorMessage());
        }

        [Test]
        public void ADisposedLicenseThrowsWhateverTheName()
        {
            prod.Dispose();
            foreach (string name in new[] { "sso-saml", "", "a\0b", "\uD800" })
            {
                Assert.Throws<ObjectDisposedException>(() => prod.HasFeature(name), Printable(name));
                Assert.Throws<ObjectDisposedException>(() => prod.CheckUsage(name, 1), Printable(name));
                Assert.Throws<ObjectDisposedException>(() => prod.Limit(name), Printable(name));
                Assert.Throws<ObjectDisposedException>(() => prod.LimitEnforcement(name), Printable(name));
            }
        }

        [Test]
        public void NullStillThrows()
        {
            Assert.Throws<ArgumentNullException>(() => prod.HasFeature(null));
            Assert.Throws<ArgumentNullException>(() => prod.CheckUsage(null, 1));
            Assert.Throws<ArgumentNullException>(() => prod.Limit(null));
            Assert.Throws<ArgumentNullException>(() => prod.LimitEnforcement(null));
        }

        private static string Printable(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    sb.Append("\\u").Append(((int)c).ToString("X4"));
                }
                else
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }
    }
}
