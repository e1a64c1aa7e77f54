// Where the repository's fixtures are, and the test vectors read from
// tests/vectors/vectors.json.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Licensing.Tests
{
    internal static class Fixtures
    {
        public const string ProdSerial = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
        public const string ProdActivationCode = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
        public const long ProdNow = 1780315200; // 2026-06-01T12:00:00Z

        private static string root;
        private static Dictionary<string, object> vectors;

        /// <summary>The repository root: $LICENSING_REPO_ROOT, else found upwards from here.</summary>
        public static string Root
        {
            get
            {
                if (root == null)
                {
                    root = FindRoot();
                }
                return root;
            }
        }

        private static string FindRoot()
        {
            string fromEnv = Environment.GetEnvironmentVariable("LICENSING_REPO_ROOT");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            var starts = new List<string> { Directory.GetCurrentDirectory() };
            string location = typeof(Fixtures).Assembly.Location;
            if (!string.IsNullOrEmpty(location))
            {
                starts.Add(Path.GetDirectoryName(location));
            }
            foreach (string start in starts)
            {
                for (string dir = start; dir != null; dir = Path.GetDirectoryName(dir))
                {
                    if (File.Exists(Path.Combine(dir, Path.Combine("include", "licensing.h"))))
                    {
                        return dir;
                    }
                }
            }
            throw new InvalidOperationException("cannot find the repository root (include/licensing.h): set LICENSING_REPO_ROOT");
        }

        public static string VectorPath(string name)
        {
            return Path.Combine(Path.Combine(Path.Combine(Root, "tests"), "vectors"), name);
        }

        public static byte[] Bytes(string name)
        {
            return File.ReadAllBytes(VectorPath(name));
        }

        public static string Text(string name)
        {
            return File.ReadAllText(VectorPath(name), Encoding.UTF8);
        }

        public static string HeaderText()
        {
            return File.ReadAllText(Path.Combine(Path.Combine(Root, "include"), "licensing.h"));
        }

        public static Dictionary<string, object> Vectors
        {
            get
            {
                if (vectors == null)
                {
                    vectors = (Dictionary<string, object>)MiniJson.Parse(Text("vectors.json"));
                }
                return vectors;
            }
        }

        /// <summary>The PEM text of the named trusted keys ("test", "untrusted").</summary>
        public static string TrustedPem(IEnumerable<string> names)
        {
            var keys = (Dictionary<string, object>)Vectors["keys"];
            var pem = new StringBuilder();
            foreach (string name in names)
            {
                var key = (Dictionary<string, object>)keys[name];
                pem.Append(Text((string)key["public"]));
                pem.Append('\n');
            }
            return pem.ToString();
        }

        public static string TestKeyPem
        {
            get { return Text("test-public-key.pem"); }
        }

        public static Validator TestValidator()
        {
            return new Validator(TestKeyPem);
        }

        public static License ValidProd(Validator validator)
        {
            return validator.Validate(Bytes("prod.lic"), ProdSerial, ProdActivationCode, ProdNow);
        }

        public static IEnumerable<Dictionary<string, object>> Files
        {
            get { return ((List<object>)Vectors["files"]).Cast<Dictionary<string, object>>(); }
        }

        public static Dictionary<string, object> FileEntry(string name)
        {
            return Files.Single(f => (string)f["name"] == name);
        }
    }

    /// <summary>One check of vectors.json: a file, inputs and the expected verdict.</summary>
    public sealed class VectorCheck
    {
        private const long Day = 24 * 3600;

        public string File;
        public int Index;
        public Dictionary<string, object> Decoded; // the file's "license" (null when not decodable)
        public string Serial;
        public string ActivationCode;
        public long Now;
        public string NowText;
        public List<string> Trusted;
        public string PlatformVersion;   // the version the validator is told; null: not told
        public string ExpectedError;     // null when ok
        public string ExpectedState;     // "active", "expiring-soon", "in-grace" when ok
        // When ok: the days left, one meaning everywhere (until expiry, or
        // the end of grace when in grace); null for a license that never
        // expires.
        public int? ExpectedDaysLeft;

        public override string ToString()
        {
            return File + "#" + Index + " at " + NowText
                + (PlatformVersion != null ? " on platform " + PlatformVersion : "")
                + " -> " + (ExpectedError ?? ExpectedState);
        }

        public static List<VectorCheck> All()
        {
            var checks = new List<VectorCheck>();
            foreach (var file in Fixtures.Files)
            {
                int index = 0;
                object decoded;
                file.TryGetValue("license", out decoded);
                foreach (Dictionary<string, object> c in (List<object>)file["checks"])
                {
                    var check = new VectorCheck
                    {
                        File = (string)file["name"],
                        Index = index++,
                        Decoded = decoded as Dictionary<string, object>,
                        Serial = (string)c["serial"],
                        ActivationCode = (string)c["activation_code"],
                        Now = (long)c["now"],
                        NowText = (string)c["now_text"],
                        Trusted = ((List<object>)c["trusted"]).Cast<string>().ToList(),
                    };
                    object platformVersion;
                    if (c.TryGetValue("platform_version", out platformVersion))
                    {
                        check.PlatformVersion = (string)platformVersion;
                    }
                    var verdict = (Dictionary<string, object>)c["verdict"];
                    object error, ok;
                    if (verdict.TryGetValue("error", out error))
                    {
                        check.ExpectedError = (string)error;
                    }
                    else if (verdict.TryGetValue("ok", out ok))
                    {
                        var okFields = (Dictionary<string, object>)ok;
                        check.ExpectedState = (string)okFields["state"];
                        object days;
                        if (okFields.TryGetValue("days_left", out days))
                        {
                            check.ExpectedDaysLeft = (int)(long)days; // expiring soon, in grace
                        }
                        else if (check.Decoded["expires_at"] != null)
                        {
                            // Active: vectors.json gives the expiry; a started day counts as one.
                            long seconds = (long)check.Decoded["expires_at"] - check.Now;
                            check.ExpectedDaysLeft = (int)((seconds + Day - 1) / Day);
                        }
                    }
                    else
                    {
                        throw new FormatException("a verdict neither ok nor error in " + check);
                    }
                    checks.Add(check);
                }
            }
            return checks;
        }
    }

    /// <summary>
    /// Sets environment variables of this process (null unsets) for the
    /// native library to read, and restores them when disposed. The C
    /// library reads the process environment, which Mono's
    /// Environment.SetEnvironmentVariable changes.
    /// </summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string> saved = new Dictionary<string, string>();

        public EnvironmentScope(params string[] namesAndValues)
        {
            for (int i = 0; i < namesAndValues.Length; i += 2)
            {
                string name = namesAndValues[i];
                saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, namesAndValues[i + 1]);
            }
        }

        public void Dispose()
        {
            foreach (var pair in saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }

    /// <summary>
    /// A validated prod.lic for each test, and its validator, disposed after
    /// it: the base of the test fixtures that read one license.
    /// </summary>
    public abstract class ProdLicenseFixture
    {
        protected Validator validator;
        protected License prod;

        [SetUp]
        public void OpenProd()
        {
            validator = Fixtures.TestValidator();
            prod = Fixtures.ValidProd(validator);
        }

        [TearDown]
        public void CloseProd()
        {
            prod.Dispose();
            validator.Dispose();
        }
    }
}
