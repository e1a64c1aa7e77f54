// The binding against include/licensing.h: a code or a function added to
// the header and forgotten here fails these tests.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class HeaderTests
    {
        /// <summary>NAME = value pairs of the C enum <paramref name="enumName"/>, prefix removed.</summary>
        private static Dictionary<string, uint> HeaderEnum(string enumName, string prefix)
        {
            string header = Fixtures.HeaderText();
            Match block = Regex.Match(header, @"enum\s+" + enumName + @"\b[^{;]*\{(?<body>[^}]*)\}", RegexOptions.Singleline);
            Assert.IsTrue(block.Success, "enum " + enumName + " in include/licensing.h");
            var members = new Dictionary<string, uint>();
            foreach (Match m in Regex.Matches(block.Groups["body"].Value, @"^\s*" + prefix + @"([A-Z0-9_]+)\s*=\s*(\d+)\s*,", RegexOptions.Multiline))
            {
                members.Add(m.Groups[1].Value, uint.Parse(m.Groups[2].Value));
            }
            Assert.Greater(members.Count, 1, "members of enum " + enumName);
            return members;
        }

        /// <summary>SNAKE_CASE to PascalCase: INVALID_UTF8 -> InvalidUtf8.</summary>
        private static string Pascal(string snake)
        {
            var sb = new StringBuilder();
            foreach (string word in snake.Split('_'))
            {
                sb.Append(word.Substring(0, 1)).Append(word.Substring(1).ToLowerInvariant());
            }
            return sb.ToString();
        }

        private static void AssertSame(Type csharp, string enumName, string prefix)
        {
            Dictionary<string, uint> header = HeaderEnum(enumName, prefix);
            var missing = new List<string>();
            foreach (var member in header)
            {
                string name = Pascal(member.Key);
                if (!Enum.IsDefined(csharp, name))
                {
                    missing.Add(prefix + member.Key + " = " + member.Value + " (expected " + csharp.Name + "." + name + ")");
                    continue;
                }
                Assert.AreEqual(member.Value, Convert.ToUInt32(Enum.Parse(csharp, name)), csharp.Name + "." + name);
            }
            Assert.IsEmpty(missing, "codes of include/licensing.h missing from " + csharp.Name + ": " + string.Join(", ", missing));
            // And nothing here that the header lacks.
            var extra = Enum.GetNames(csharp).Where(n => !header.Keys.Select(Pascal).Contains(n)).ToList();
            Assert.IsEmpty(extra, csharp.Name + " members not in include/licensing.h: " + string.Join(", ", extra));
        }

        [Test]
        public void ResultCodeCoversEveryLicCode()
        {
            AssertSame(typeof(ResultCode), "lic_result", "LIC_");
            // The code this binding was last extended with, found by the parser.
            Assert.AreEqual(505u, HeaderEnum("lic_result", "LIC_")["CLOCK_RESET_USED"], "LIC_CLOCK_RESET_USED in include/licensing.h");
            Assert.AreEqual(505u, (uint)ResultCode.ClockResetUsed);
            // The codes of format version 2.
            Assert.AreEqual(7u, HeaderEnum("lic_result", "LIC_")["INVALID_PLATFORM_VERSION"]);
            Assert.AreEqual(208u, HeaderEnum("lic_result", "LIC_")["UNKNOWN_CRITICAL_EXTENSION"]);
            Assert.AreEqual(209u, HeaderEnum("lic_result", "LIC_")["PLATFORM_VERSION_NOT_COVERED"]);
            Assert.AreEqual(7u, (uint)ResultCode.InvalidPlatformVersion);
            Assert.AreEqual(208u, (uint)ResultCode.UnknownCriticalExtension);
            Assert.AreEqual(209u, (uint)ResultCode.PlatformVersionNotCovered);
            // The codes of the offline exchange.
            Assert.AreEqual(8u, HeaderEnum("lic_result", "LIC_")["INVALID_ENVIRONMENT_NAME"]);
            Assert.AreEqual(9u, HeaderEnum("lic_result", "LIC_")["INVALID_PURPOSE"]);
            Assert.AreEqual(506u, HeaderEnum("lic_result", "LIC_")["BAD_USAGE_SUMMARY"]);
            Assert.AreEqual(8u, (uint)ResultCode.InvalidEnvironmentName);
            Assert.AreEqual(9u, (uint)ResultCode.InvalidPurpose);
            Assert.AreEqual(506u, (uint)ResultCode.BadUsageSummary);
            Assert.AreEqual(typeof(uint), Enum.GetUnderlyingType(typeof(ResultCode)));
        }

        [Test]
        public void OtherEnumsMatchTheHeader()
        {
            AssertSame(typeof(State), "lic_state", "LIC_STATE_");
            AssertSame(typeof(Enforcement), "lic_enforcement", "LIC_ENFORCEMENT_");
            AssertSame(typeof(Usage), "lic_usage", "LIC_USAGE_");
            AssertSame(typeof(LicenseType), "lic_type", "LIC_TYPE_");
            AssertSame(typeof(Purpose), "lic_purpose", "LIC_PURPOSE_");
            AssertSame(typeof(Standing), "lic_standing", "LIC_STANDING_");
        }

        /// <summary>Names of the functions declared in <paramref name="header"/>.</summary>
        private static List<string> HeaderFunctions(string header)
        {
            return Regex.Matches(header, @"^[A-Za-z_][A-Za-z0-9_ \*]*?\b(lic_[a-z0-9_]+)\(", RegexOptions.Multiline)
                .Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();
        }

        [Test]
        public void EveryHeaderFunctionIsBound()
        {
            List<string> functions = HeaderFunctions(Fixtures.HeaderText());
            CollectionAssert.Contains(functions, "lic_version");
            CollectionAssert.Contains(functions, "lic_store_open_with_clock_tolerance");
            Type native = typeof(Store).Assembly.GetType("Licensing.NativeMethods", true);
            var bound = new HashSet<string>(native.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
                .Where(m => m.GetCustomAttributes(typeof(System.Runtime.InteropServices.DllImportAttribute), false).Length > 0)
                .Select(m => m.Name));
            var missing = functions.Where(f => !bound.Contains(f)).ToList();
            Assert.IsEmpty(missing, "functions of include/licensing.h without a DllImport in NativeMethods: " +
                string.Join(", ", missing) + "; declare them there");
            // And no DllImport of a function the header lacks (one renamed or removed).
            var stale = bound.Where(f => !functions.Contains(f)).ToList();
            Assert.IsEmpty(stale, "DllImports in NativeMethods of functions not in include/licensing.h: " +
                string.Join(", ", stale) + "; remove or rename them");
            // The functions this binding was last extended with, found by the parser.
            CollectionAssert.IsSubsetOf(
                new[] { "lic_license_days_left", "lic_result_is_license_invalid", "lic_result_is_misuse", "lic_result_is_environment", "lic_store_serial_number", "lic_status_days_left",
                         "lic_store_create", "lic_store_preview_status",
                         "lic_store_install_trial_extension", "lic_store_reset_clock", "lic_store_with_anchor",
                         "lic_validator_new_for_platform", "lic_store_activation_request", "lic_store_usage_report",
                         "lic_store_install_usage_summary",
                         "lic_license_verification_id", "lic_license_limit_bounds_at" },
                functions);
            // The parser must be able to see a new one.
            CollectionAssert.Contains(HeaderFunctions("lic_result lic_brand_new(const struct lic_status *status,\n    size_t *out);"), "lic_brand_new");
            Assert.IsFalse(bound.Contains("lic_brand_new"));
        }

        [Test]
        public void AnchorConstantsMatchTheHeader()
        {
            string header = Fixtures.HeaderText();
            var defines = Regex.Matches(header, @"^#define\s+(LIC_ANCHOR_[A-Z_]+)\s+(\d+)\s*$", RegexOptions.Multiline)
                .Cast<Match>().ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
            Type native = typeof(Store).Assembly.GetType("Licensing.NativeMethods", true);
            var expected = new Dictionary<string, string>
            {
                { "LIC_ANCHOR_FOUND", "AnchorFound" },
                { "LIC_ANCHOR_NOT_FOUND", "AnchorNotFound" },
                { "LIC_ANCHOR_FAILED", "AnchorFailed" },
                { "LIC_ANCHOR_MAX_LEN", "AnchorMaxLen" },
            };
            CollectionAssert.AreEquivalent(expected.Keys, defines.Keys, "the LIC_ANCHOR_ constants of include/licensing.h");
            foreach (var pair in expected)
            {
                var field = native.GetField(pair.Value, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
                Assert.IsNotNull(field, "NativeMethods." + pair.Value + " for " + pair.Key);
                Assert.AreEqual(defines[pair.Key], (int)field.GetValue(null), "NativeMethods." + pair.Value);
            }
        }

        [Test]
        public void TheParserSeesAForgottenCode()
        {
            // The check above must be able to fail: a header with one more
            // code than ResultCode knows.
            string header = "enum lic_result {\n  LIC_OK = 0,\n  LIC_BRAND_NEW = 77,\n};";
            Match block = Regex.Match(header, @"enum\s+lic_result\b[^{;]*\{(?<body>[^}]*)\}", RegexOptions.Singleline);
            var names = Regex.Matches(block.Groups["body"].Value, @"^\s*LIC_([A-Z0-9_]+)\s*=\s*(\d+)\s*,", RegexOptions.Multiline)
                .Cast<Match>().Select(m => Pascal(m.Groups[1].Value)).ToList();
            CollectionAssert.AreEqual(new[] { "Ok", "BrandNew" }, names);
            Assert.IsFalse(Enum.IsDefined(typeof(ResultCode), "BrandNew"));
        }
    }
}
