// A License answers HasFeature, Limit, LimitEnforcement, CheckUsage,
// Features and Limits from what it read once per verification (.NET
// collections, LicenseData.cs): on every license of tests/vectors/vectors.json
// that validates, these answers must be the C ABI's own, asked directly
// through NativeMethods. And the read-once data: keyed by the verification
// number, shared by the validations a validator answers from its cache,
// bounded, and safe to read from many threads.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class NativeAgreementTests
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);

        public static IEnumerable<TestCaseData> ValidChecks()
        {
            foreach (VectorCheck check in VectorCheck.All().Where(c => c.ExpectedError == null))
            {
                yield return new TestCaseData(check).SetName("Agreement " + check);
            }
        }

        // The C ABI, asked directly.

        private static bool NativeHasFeature(License license, string name)
        {
            byte[] bytes = Utf8.GetBytes(name);
            bool withLength = NativeMethods.lic_license_has_feature_n(license.Handle, bytes, (UIntPtr)bytes.Length);
            // The NUL-terminated function agrees, for a name without a NUL.
            Assert.AreEqual(withLength, NativeMethods.lic_license_has_feature(license.Handle, Interop.ToUtf8Z(name, "name")), name);
            return withLength;
        }

        /// <summary>The value and enforcement (null: LIC_NO_SUCH_LIMIT).</summary>
        private static Tuple<ulong, Enforcement> NativeLimit(License license, string name)
        {
            byte[] z = Interop.ToUtf8Z(name, "name");
            ulong value;
            uint enforcement;
            uint rc = NativeMethods.lic_license_limit(license.Handle, z, out value);
            Assert.AreEqual(rc, NativeMethods.lic_license_limit_enforcement(license.Handle, z, out enforcement), name);
            if (rc == (uint)ResultCode.NoSuchLimit)
            {
                return null;
            }
            Assert.AreEqual((uint)ResultCode.Ok, rc, name);
            return Tuple.Create(value, (Enforcement)enforcement);
        }

        private static Usage NativeCheckUsage(License license, string name, ulong usage)
        {
            byte[] bytes = Utf8.GetBytes(name);
            uint level;
            Interop.Check(NativeMethods.lic_license_check_usage_n(license.Handle, bytes, (UIntPtr)bytes.Length, usage, out level));
            uint levelZ;
            Interop.Check(NativeMethods.lic_license_check_usage(license.Handle, Interop.ToUtf8Z(name, "name"), usage, out levelZ));
            Assert.AreEqual(level, levelZ, name + " at " + usage);
            return (Usage)level;
        }

        private static List<string> NativeList(License license, bool features)
        {
            UIntPtr count;
            Interop.Check(features
                ? NativeMethods.lic_license_feature_count(license.Handle, out count)
                : NativeMethods.lic_license_limit_count(license.Handle, out count));
            var names = new List<string>();
            for (ulong i = 0; i < count.ToUInt64(); i++)
            {
                UIntPtr index = (UIntPtr)i;
                LicenseHandle h = license.Handle;
                names.Add(Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) => features
                    ? NativeMethods.lic_license_feature_at(h, index, b, l, out w)
                    : NativeMethods.lic_license_limit_at(h, index, b, l, out w)));
            }
            return names;
        }

        /// <summary>Names a license does not hold but that look like the ones it does.</summary>
        private static IEnumerable<string> NearMisses(IEnumerable<string> names)
        {
            var fixedNames = new[]
            {
                "", " ", "-", "x", "SSO-SAML", "Sso-Saml", "sso_saml", "TENANTS", "Storage-GB",
                "é", "ünïcödé-fëätürë", "\U0001F600", "sso-saml\u0301", "\u0073so-saml\u200B", "タイムトラベル",
            };
            foreach (string name in fixedNames)
            {
                yield return name;
            }
            foreach (string name in names)
            {
                yield return name.ToUpperInvariant();
                yield return char.ToUpperInvariant(name[0]) + name.Substring(1);
                yield return name.Substring(0, name.Length - 1);   // a prefix
                yield return name + "x";                           // an extension
                yield return " " + name;
                yield return name + "\u00E9";
            }
        }

        [Test, TestCaseSource("ValidChecks")]
        public void TheBindingAnswersAsTheCAbi(VectorCheck check)
        {
            using (var validator = new Validator(Fixtures.TrustedPem(check.Trusted), check.PlatformVersion))
            using (License license = validator.Validate(Fixtures.Bytes(check.File), check.Serial, check.ActivationCode, check.Now))
            {
                // Enumeration: the native lists, in their order.
                List<string> features = NativeList(license, true);
                List<string> limitNames = NativeList(license, false);
                CollectionAssert.AreEqual(features, license.Features.ToList(), "Features");
                CollectionAssert.AreEqual(limitNames, license.Limits.Keys.ToList(), "Limits' names, in order");
                Assert.AreEqual(limitNames.Count, license.Limits.Count);

                // has_feature: every feature, every limit's name, and near misses.
                var present = new HashSet<string>(features, StringComparer.Ordinal);
                foreach (string name in features.Concat(limitNames).Concat(NearMisses(features.Concat(limitNames))))
                {
                    bool native = NativeHasFeature(license, name);
                    Assert.AreEqual(native, license.HasFeature(name), "HasFeature(\"" + name + "\")");
                    Assert.AreEqual(present.Contains(name), native, "the C ABI on \"" + name + "\"");
                }

                // Limits: value, enforcement, check_usage at the bounds' edges.
                for (int i = 0; i < limitNames.Count; i++)
                {
                    string name = limitNames[i];
                    Tuple<ulong, Enforcement> native = NativeLimit(license, name);
                    Assert.IsNotNull(native, name);
                    Assert.AreEqual(native.Item1, license.Limit(name), name);
                    Assert.AreEqual(native.Item1, license.Limits[name], name);
                    Assert.AreEqual(native.Item2, license.LimitEnforcement(name), name);

                    ulong value, nearFrom;
                    uint enforcement;
                    Interop.Check(NativeMethods.lic_license_limit_bounds_at(license.Handle, (UIntPtr)i, out value, out nearFrom, out enforcement));
                    Assert.AreEqual(native.Item1, value, name + ": lic_license_limit_bounds_at's value");
                    Assert.AreEqual((uint)native.Item2, enforcement, name + ": lic_license_limit_bounds_at's enforcement");
                    Assert.LessOrEqual(nearFrom, Math.Max(value, 1ul), name + ": near_from");
                    unchecked
                    {
                        foreach (ulong usage in new[] { 0ul, 1ul, nearFrom - 1, nearFrom, nearFrom + 1, value - 1, value, value + 1, value * 2, ulong.MaxValue - 1, ulong.MaxValue })
                        {
                            Assert.AreEqual(NativeCheckUsage(license, name, usage), license.CheckUsage(name, usage), name + " at " + usage);
                        }
                    }
                }

                // Absent limits: Unlimited, null, both ways.
                foreach (string name in NearMisses(limitNames).Concat(features))
                {
                    if (limitNames.Contains(name))
                    {
                        continue;
                    }
                    Assert.IsNull(NativeLimit(license, name), name);
                    Assert.IsNull(license.Limit(name), name);
                    Assert.IsNull(license.LimitEnforcement(name), name);
                    Assert.IsFalse(license.Limits.ContainsKey(name), name);
                    foreach (ulong usage in new[] { 0ul, 1ul, 450ul, ulong.MaxValue })
                    {
                        Assert.AreEqual(Usage.Unlimited, NativeCheckUsage(license, name, usage), name);
                        Assert.AreEqual(Usage.Unlimited, license.CheckUsage(name, usage), name);
                    }
                }
            }
        }

        [Test]
        public void AllValidVectorsAreCompared()
        {
            // The comparison above runs on licenses with limits of both kinds.
            var valid = VectorCheck.All().Where(c => c.ExpectedError == null).ToList();
            Assert.Greater(valid.Count, 10);
            Assert.IsTrue(valid.Any(c => c.File == "prod.lic"));
            Assert.IsTrue(valid.Any(c => c.File == "dev-never-expires.lic"));
        }

        [Test]
        public void LimitBoundsAtOutOfRange()
        {
            using (var validator = Fixtures.TestValidator())
            using (License prod = Fixtures.ValidProd(validator))
            {
                ulong value = 7, nearFrom = 7;
                uint enforcement = 7;
                Assert.AreEqual((uint)ResultCode.IndexOutOfRange,
                    NativeMethods.lic_license_limit_bounds_at(prod.Handle, (UIntPtr)6, out value, out nearFrom, out enforcement));
                Assert.AreEqual(7ul, value, "written only on LIC_OK");
                Assert.AreEqual(7ul, nearFrom);
                Assert.AreEqual(7u, enforcement);
                // tenants (hard 25): near from 23 (90% rounded up).
                int tenants = prod.Limits.Keys.ToList().IndexOf("tenants");
                Interop.Check(NativeMethods.lic_license_limit_bounds_at(prod.Handle, (UIntPtr)tenants, out value, out nearFrom, out enforcement));
                Assert.AreEqual(25ul, value);
                Assert.AreEqual(23ul, nearFrom);
                Assert.AreEqual((uint)Enforcement.Hard, enforcement);
                Assert.AreEqual(Usage.Within, prod.CheckUsage("tenants", 22));
                Assert.AreEqual(Usage.Near, prod.CheckUsage("tenants", 23));
                Assert.AreEqual(Usage.Near, prod.CheckUsage("tenants", 25));
                Assert.AreEqual(Usage.OverHardLimit, prod.CheckUsage("tenants", 26));
                Assert.AreEqual(Usage.OverSoftLimit, prod.CheckUsage("internal-users", 101));
            }
        }

        [Test]
        public void TheSameBytesAgainShareWhatWasRead()
        {
            byte[] file = Fixtures.Bytes("prod.lic");
            using (var validator = Fixtures.TestValidator())
            using (var other = Fixtures.TestValidator())
            using (License first = Fixtures.ValidProd(validator))
            using (License again = validator.Validate(file, Fixtures.ProdSerial, null, Fixtures.ProdNow + 3600))
            using (License elsewhere = Fixtures.ValidProd(other))
            {
                Assert.AreEqual(first.VerificationId, again.VerificationId, "validated again from the validator's cache");
                Assert.AreNotEqual(first.VerificationId, elsewhere.VerificationId, "another validator verified it again");
                // The collections are read once per verification, and shared.
                Assert.AreSame(first.Features, again.Features);
                Assert.AreSame(first.Limits, again.Limits);
                Assert.AreNotSame(first.Features, elsewhere.Features);
                CollectionAssert.AreEqual(first.Features, elsewhere.Features);
                Assert.AreSame(first.Features, first.Features);
            }
        }

        [Test]
        public void TheCollectionsAreReadOnly()
        {
            using (var validator = Fixtures.TestValidator())
            using (License prod = Fixtures.ValidProd(validator))
            {
                var features = (IList<string>)prod.Features;
                Assert.IsTrue(features.IsReadOnly);
                Assert.Throws<NotSupportedException>(() => features.Add("time-travel"));
                Assert.Throws<NotSupportedException>(() => features[0] = "time-travel");
                var limits = (IDictionary<string, ulong>)prod.Limits;
                Assert.IsTrue(limits.IsReadOnly);
                Assert.Throws<NotSupportedException>(() => limits["tenants"] = 1000);
                Assert.Throws<NotSupportedException>(() => limits.Remove("tenants"));
                Assert.IsFalse(prod.HasFeature("time-travel"));
                Assert.AreEqual(25ul, prod.Limit("tenants"));
            }
        }

        [Test]
        public void TheCacheIsBounded()
        {
            byte[] file = Fixtures.Bytes("prod.lic");
            using (var validator = Fixtures.TestValidator())
            using (License kept = Fixtures.ValidProd(validator))
            {
                Assert.IsTrue(kept.HasFeature("sso-saml"));
                IReadOnlyList<string> keptFeatures = kept.Features;
                // Every fresh validator verifies the file again: a new number each time.
                var seen = new HashSet<ulong> { kept.VerificationId };
                for (int i = 0; i < LicenseDataCache.Capacity + 10; i++)
                {
                    using (var fresh = Fixtures.TestValidator())
                    using (License license = fresh.Validate(file, Fixtures.ProdSerial, null, Fixtures.ProdNow))
                    {
                        Assert.IsTrue(seen.Add(license.VerificationId), "verification numbers are never reused");
                        Assert.IsTrue(license.HasFeature("sso-saml"));
                        Assert.LessOrEqual(LicenseDataCache.Count, LicenseDataCache.Capacity);
                    }
                }
                Assert.AreEqual(LicenseDataCache.Capacity, LicenseDataCache.Count);
                // The first verification's data left the cache; its License keeps its own.
                Assert.AreSame(keptFeatures, kept.Features);
                Assert.IsTrue(kept.HasFeature("sso-saml"));
                Assert.AreEqual(Usage.OverHardLimit, kept.CheckUsage("tenants", 26));
                // A new License of that verification reads it again, equal.
                using (License again = validator.Validate(file, Fixtures.ProdSerial, null, Fixtures.ProdNow))
                {
                    Assert.AreEqual(kept.VerificationId, again.VerificationId);
                    CollectionAssert.AreEqual(keptFeatures, again.Features);
                    Assert.AreEqual(Usage.Near, again.CheckUsage("tenants", 23));
                }
            }
        }

        [Test]
        public void ManyThreadsValidateAndLookUp()
        {
            byte[] file = Fixtures.Bytes("prod.lic");
            using (var validator = Fixtures.TestValidator())
            {
                var failures = new List<string>();
                var threads = new List<Thread>();
                for (int t = 0; t < 4; t++)
                {
                    int seed = t;
                    var thread = new Thread(() =>
                    {
                        try
                        {
                            for (int i = 0; i < 300; i++)
                            {
                                // Now and then a validator of its own: new numbers, cache inserts and evictions.
                                Validator v = (i + seed) % 50 == 0 ? Fixtures.TestValidator() : validator;
                                try
                                {
                                    using (License license = v.Validate(file, Fixtures.ProdSerial, Fixtures.ProdActivationCode, Fixtures.ProdNow))
                                    {
                                        if (!license.HasFeature("sso-saml") || license.HasFeature("SSO-SAML") ||
                                            license.CheckUsage("tenants", 26) != Usage.OverHardLimit ||
                                            license.CheckUsage("storage-gb", 450) != Usage.Near ||
                                            license.Limit("internal-users") != 100 || license.Features.Count != 10)
                                        {
                                            lock (failures) { failures.Add("thread " + seed + " call " + i); }
                                        }
                                    }
                                }
                                finally
                                {
                                    if (v != validator)
                                    {
                                        v.Dispose();
                                    }
                                }
                            }
                        }
                        catch (Exception e)
                        {
                            lock (failures) { failures.Add(e.ToString()); }
                        }
                    });
                    threads.Add(thread);
                    thread.Start();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
                Assert.IsEmpty(failures, string.Join("\n", failures));
            }
        }

        [Test]
        public void AStatusLicenseAnswersAsTheCAbi()
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "licensing-agreement-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (var anchors = new EnvironmentScope("LICENSING_ANCHOR_DIR", System.IO.Path.Combine(dir, "anchors")))
                using (var validator = Fixtures.TestValidator())
                using (Store store = Store.Create(System.IO.Path.Combine(dir, "store")))
                {
                    store.Install(validator, Fixtures.Bytes("prod.lic"), Fixtures.ProdSerial, Fixtures.ProdNow).Dispose();
                    using (Status status = store.Status(validator, Fixtures.ProdSerial, Fixtures.ProdNow))
                    using (License direct = Fixtures.ValidProd(validator))
                    {
                        License license = status.License;
                        Assert.IsNotNull(license);
                        CollectionAssert.AreEqual(NativeList(license, true), license.Features);
                        CollectionAssert.AreEqual(direct.Features, license.Features);
                        foreach (string name in license.Limits.Keys)
                        {
                            foreach (ulong usage in new[] { 0ul, 1ul, 400ul, 450ul, 451ul, ulong.MaxValue })
                            {
                                Assert.AreEqual(NativeCheckUsage(license, name, usage), license.CheckUsage(name, usage), name + " at " + usage);
                            }
                        }
                    }
                }
            }
            finally
            {
                if (System.IO.Directory.Exists(dir))
                {
                    System.IO.Directory.Delete(dir, true);
                }
            }
        }
    }
}
