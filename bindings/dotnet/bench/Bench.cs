// The .NET binding's benchmark harness: plain loops timed with Stopwatch,
// warm-up rounds first, then the median over rounds of the time per call.
// Every round runs every benchmark once in turn, so that all of them see the
// same moments of a shared machine. Run by bindings/dotnet/bench/run.sh
// (which builds the release library, Licensing.dll and this program):
//   mono Bench.exe --root REPO [--quick]
// Prints a table to stdout and one JSON line (prefixed "json: ").
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Licensing;

namespace Licensing.Bench
{
    /// <summary>One benchmark: a batch of n calls, timed as a whole.</summary>
    internal abstract class Case
    {
        internal readonly string Name;
        internal readonly int Calls;          // calls per round (full run)
        internal readonly int QuickCalls;     // calls per round (--quick)
        internal readonly List<double> Samples = new List<double>();

        protected Case(string name, int calls, int quickCalls)
        {
            Name = name;
            Calls = calls;
            QuickCalls = quickCalls;
        }

        /// <summary>Runs n calls; returns the ticks (Stopwatch) they took.</summary>
        internal abstract long Run(int n);

        /// <summary>A value the JIT cannot see through, so no call is dropped.</summary>
        internal static long Sink;
    }

    internal sealed class Lambda : Case
    {
        private readonly Func<int, long> run;
        internal Lambda(string name, int calls, int quickCalls, Func<int, long> run) : base(name, calls, quickCalls) { this.run = run; }
        internal override long Run(int n) { return run(n); }
    }

    /// <summary>The language's own collections behind methods of the binding's shape.</summary>
    internal sealed class OwnCollections
    {
        private readonly HashSet<string> features;
        private readonly Dictionary<string, ulong> limits;

        internal OwnCollections(IEnumerable<string> features, IEnumerable<KeyValuePair<string, ulong>> limits)
        {
            this.features = new HashSet<string>(features, StringComparer.Ordinal);
            this.limits = new Dictionary<string, ulong>(StringComparer.Ordinal);
            foreach (var pair in limits)
            {
                this.limits.Add(pair.Key, pair.Value);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public bool HasFeature(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            return features.Contains(name);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public ulong? Limit(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }
            ulong value;
            return limits.TryGetValue(name, out value) ? value : (ulong?)null;
        }
    }

    /// <summary>The raw C ABI, for the cost of a bare P/Invoke (a reference row).</summary>
    internal static unsafe class Raw
    {
        private const string Library = "licensing";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_validator_new(byte* pem, UIntPtr len, IntPtr* validator);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_validator_free(IntPtr validator);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_validator_validate(IntPtr validator, byte* file, UIntPtr len, byte* serial, byte* code, long unixTime, IntPtr* license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_license_free(IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern byte lic_license_has_feature_n(IntPtr license, byte* name, UIntPtr len);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_check_usage_n(IntPtr license, byte* name, UIntPtr len, ulong usage, uint* level);
    }

    internal static class Program
    {
        private const string ProdSerial = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T";
        private const string ProdActivationCode = "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ";
        private const long ProdNow = 1780315200; // 2026-06-01T12:00:00Z

        private static int Main(string[] args)
        {
            bool quick = false;
            string root = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--quick")
                {
                    quick = true;
                }
                else if (args[i] == "--root" && i + 1 < args.Length)
                {
                    root = args[++i];
                }
                else
                {
                    Console.Error.WriteLine("usage: Bench.exe --root REPO [--quick]");
                    return 2;
                }
            }
            if (root == null)
            {
                Console.Error.WriteLine("usage: Bench.exe --root REPO [--quick]");
                return 2;
            }
            string vectors = Path.Combine(Path.Combine(root, "tests"), "vectors");
            string pem = File.ReadAllText(Path.Combine(vectors, "test-public-key.pem"));
            byte[] prod = File.ReadAllBytes(Path.Combine(vectors, "prod.lic"));
            string storeDir = Path.Combine(Path.GetTempPath(), "licensing-dotnet-bench-" + Process.GetCurrentProcess().Id);

            using (var validator = new Validator(pem))
            using (License license = validator.Validate(prod, ProdSerial, ProdActivationCode, ProdNow))
            using (Store store = Store.Create(storeDir))
            {
                store.Install(validator, prod, ProdSerial, ProdNow).Dispose();
                try
                {
                    return Run(quick, pem, prod, validator, license, store);
                }
                finally
                {
                    store.Dispose();
                    try { Directory.Delete(storeDir, true); } catch (IOException) { }
                }
            }
        }

        private static unsafe int Run(bool quick, string pem, byte[] prod, Validator validator, License license, Store store)
        {
            // Sanity: the calls measured answer what they should.
            var own = new OwnCollections(license.Features, license.Limits);
            Check(license.HasFeature("sso-saml") && own.HasFeature("sso-saml"), "sso-saml granted");
            Check(!license.HasFeature("time-travel") && !own.HasFeature("time-travel"), "time-travel not granted");
            Check(license.Limit("tenants") == 25 && own.Limit("tenants") == 25, "tenants limit 25");
            Check(license.CheckUsage("tenants", 23) == Usage.Near, "tenants 23/25 near");

            // The raw C ABI's license, for the reference row.
            byte[] pemBytes = Encoding.UTF8.GetBytes(pem);
            byte[] serialZ = Encoding.UTF8.GetBytes(ProdSerial + "\0");
            byte[] codeZ = Encoding.UTF8.GetBytes(ProdActivationCode + "\0");
            byte[] ssoSaml = Encoding.UTF8.GetBytes("sso-saml");
            IntPtr madeValidator, made;
            fixed (byte* p = pemBytes)
            {
                Check(Raw.lic_validator_new(p, (UIntPtr)pemBytes.Length, &madeValidator) == 0, "raw validator");
            }
            fixed (byte* f = prod)
            fixed (byte* s = serialZ)
            fixed (byte* c = codeZ)
            {
                Check(Raw.lic_validator_validate(madeValidator, f, (UIntPtr)prod.Length, s, c, ProdNow, &made) == 0, "raw validate");
            }
            IntPtr rawValidator = madeValidator, rawLicense = made;

            int rounds = quick ? 3 : 21;
            int warmup = quick ? 1 : 3;
            const string present = "sso-saml", absent = "time-travel", limitName = "tenants";
            var cases = new List<Case>
            {
                new Lambda("has_feature (present)", 1000000, 2000, n =>
                {
                    long hits = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { if (license.HasFeature(present)) hits++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("has_feature (absent)", 1000000, 2000, n =>
                {
                    long hits = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { if (license.HasFeature(absent)) hits++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("limit", 1000000, 2000, n =>
                {
                    long sum = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { ulong? v = license.Limit(limitName); if (v.HasValue) sum++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += sum; return t;
                }),
                new Lambda("check_usage", 1000000, 2000, n =>
                {
                    long sum = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { sum += (long)license.CheckUsage(limitName, (ulong)(i & 31)); }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += sum; return t;
                }),
                new Lambda("validate, seen bytes (+ Dispose)", 100000, 500, n =>
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { validator.Validate(prod, ProdSerial, ProdActivationCode, ProdNow).Dispose(); }
                    return Stopwatch.GetTimestamp() - t0;
                }),
                new Lambda("validate, seen bytes, no activation code (+ Dispose)", 100000, 500, n =>
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { validator.Validate(prod, ProdSerial, null, ProdNow).Dispose(); }
                    return Stopwatch.GetTimestamp() - t0;
                }),
                new Lambda("validate, seen bytes, then has_feature", 100000, 500, n =>
                {
                    long hits = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++)
                    {
                        using (License again = validator.Validate(prod, ProdSerial, ProdActivationCode, ProdNow))
                        {
                            if (again.HasFeature(present)) hits++;
                        }
                    }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("validate, new bytes (fresh validator)", 20, 2, n =>
                {
                    long total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        using (var fresh = new Validator(pem))
                        {
                            long t0 = Stopwatch.GetTimestamp();
                            fresh.Validate(prod, ProdSerial, ProdActivationCode, ProdNow).Dispose();
                            total += Stopwatch.GetTimestamp() - t0;
                        }
                    }
                    return total;
                }),
                new Lambda("store status (+ Dispose)", 200, 5, n =>
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { store.Status(validator, ProdSerial, ProdNow).Dispose(); }
                    return Stopwatch.GetTimestamp() - t0;
                }),
                new Lambda("own HashSet<string>.Contains (present)", 1000000, 2000, n =>
                {
                    long hits = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { if (own.HasFeature(present)) hits++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("own HashSet<string>.Contains (absent)", 1000000, 2000, n =>
                {
                    long hits = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { if (own.HasFeature(absent)) hits++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("own Dictionary<string, ulong>.TryGetValue", 1000000, 2000, n =>
                {
                    long sum = 0, t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < n; i++) { ulong? v = own.Limit(limitName); if (v.HasValue) sum++; }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += sum; return t;
                }),
                new Lambda("raw P/Invoke lic_license_has_feature_n (reference)", 1000000, 2000, n =>
                {
                    long hits = 0, t0;
                    fixed (byte* name = ssoSaml)
                    {
                        var len = (UIntPtr)ssoSaml.Length;
                        t0 = Stopwatch.GetTimestamp();
                        for (int i = 0; i < n; i++) { hits += Raw.lic_license_has_feature_n(rawLicense, name, len); }
                    }
                    long t = Stopwatch.GetTimestamp() - t0; Case.Sink += hits; return t;
                }),
                new Lambda("raw P/Invoke lic_validator_validate + free (reference)", 100000, 500, n =>
                {
                    long t0;
                    fixed (byte* f = prod)
                    fixed (byte* s = serialZ)
                    fixed (byte* c = codeZ)
                    {
                        var len = (UIntPtr)prod.Length;
                        t0 = Stopwatch.GetTimestamp();
                        for (int i = 0; i < n; i++)
                        {
                            IntPtr l;
                            if (Raw.lic_validator_validate(rawValidator, f, len, s, c, ProdNow, &l) != 0)
                            {
                                throw new InvalidOperationException("raw validate failed");
                            }
                            Raw.lic_license_free(l);
                        }
                    }
                    return Stopwatch.GetTimestamp() - t0;
                }),
            };

            for (int round = 0; round < warmup + rounds; round++)
            {
                foreach (Case c in cases)
                {
                    int n = quick ? c.QuickCalls : c.Calls;
                    long ticks = c.Run(n);
                    if (round >= warmup)
                    {
                        c.Samples.Add(ticks * (1e9 / Stopwatch.Frequency) / n);
                    }
                }
            }
            Raw.lic_license_free(rawLicense);
            Raw.lic_validator_free(rawValidator);

            string runtime = Type.GetType("Mono.Runtime") != null ? "Mono " + MonoVersion() : Environment.Version.ToString();
            Console.WriteLine("dotnet binding benchmark ({0}; {1} rounds after {2} warm-up; median per call{3})",
                runtime, rounds, warmup, quick ? "; --quick: few iterations, numbers not meaningful" : "");
            Console.WriteLine();
            Console.WriteLine("| {0,-56} | {1,12} | {2,12} | {3,10} |", "call", "median", "min", "calls/round");
            Console.WriteLine("|{0}|{1}|{2}|{3}|", new string('-', 58), new string('-', 14), new string('-', 14), new string('-', 12));
            var json = new StringBuilder("{\"binding\":\"dotnet\",\"quick\":" + (quick ? "true" : "false") + ",\"ns_per_call\":{");
            bool first = true;
            foreach (Case c in cases)
            {
                double median = Median(c.Samples);
                double min = double.MaxValue;
                foreach (double s in c.Samples) { min = Math.Min(min, s); }
                Console.WriteLine("| {0,-56} | {1,12} | {2,12} | {3,10} |", c.Name, Format(median), Format(min), quick ? c.QuickCalls : c.Calls);
                json.Append(first ? "" : ",").Append('"').Append(c.Name.Replace("\"", "'")).Append("\":")
                    .Append(median.ToString("F1", CultureInfo.InvariantCulture));
                first = false;
            }
            json.Append("}}");
            Console.WriteLine();
            Console.WriteLine("json: " + json);
            return 0;
        }

        private static string MonoVersion()
        {
            var display = Type.GetType("Mono.Runtime").GetMethod("GetDisplayName",
                System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
            string name = display == null ? "?" : (string)display.Invoke(null, null);
            int space = name.IndexOf(' ');
            return space > 0 ? name.Substring(0, space) : name;
        }

        private static string Format(double ns)
        {
            return ns >= 10000
                ? (ns / 1000).ToString("F1", CultureInfo.InvariantCulture) + " us"
                : ns.ToString("F1", CultureInfo.InvariantCulture) + " ns";
        }

        private static double Median(List<double> samples)
        {
            var sorted = new List<double>(samples);
            sorted.Sort();
            int m = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }

        private static void Check(bool ok, string what)
        {
            if (!ok)
            {
                throw new InvalidOperationException("benchmark sanity check failed: " + what);
            }
        }
    }
}
