// Run by LoadingTests in a child process, in the environment each test
// sets (LICENSING_LIBRARY, LD_LIBRARY_PATH): calls LicensingLibrary.Load
// for each --load PATH, makes the --first entry point's call first (the
// library's first use), then every other entry point's, and prints which
// licensing library files the process has mapped.
//   LoadingProbe.exe [--load PATH]... [--first NAME]
// Exit: 0 every call worked; 10 DllNotFoundException; 11
// EntryPointNotFoundException; 12 InvalidOperationException (a refused
// Load); 2 bad arguments; 3 anything else.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Licensing;

public static class LoadingProbe
{
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), "licensing-loading-probe-" + Guid.NewGuid().ToString("N"));

    // Every public entry point that can be the first use of the library.
    private static readonly KeyValuePair<string, Func<string>>[] EntryPoints =
    {
        Entry("version", () => LicensingLibrary.Version),
        Entry("serial", () => Catching(() => LicensingLibrary.SerialNumberThisMachine())),
        Entry("message", () => LicensingLibrary.ResultMessage(ResultCode.Expired)),
        Entry("classify", () => "license invalid " + ResultCode.Expired.IsLicenseInvalid() +
            ", misuse " + ResultCode.NullArgument.IsMisuse() + ", environment " + ResultCode.StoreIo.IsEnvironment()),
        Entry("validator", () => Catching(() => { new Validator("no key").Dispose(); return "made"; })),
        Entry("validator-bytes", () => Catching(() => { new Validator(Encoding.UTF8.GetBytes("no key")).Dispose(); return "made"; })),
        Entry("validator-platform", () => Catching(() => { new Validator("no key", "11.14").Dispose(); return "made"; })),
        // Open of a directory that holds no store: the library's answer, NoStore.
        Entry("store", () => Catching(() => { using (var s = Store.Open(Path.Combine(Scratch, "none"))) { return "opened"; } })),
        Entry("store-tolerance", () => Catching(() => { using (var s = Store.Open(Path.Combine(Scratch, "none"), TimeSpan.FromHours(1))) { return "opened"; } })),
        Entry("store-create", () => { using (var s = Store.Create(Path.Combine(Scratch, "a"))) { return "created"; } }),
    };

    private static KeyValuePair<string, Func<string>> Entry(string name, Func<string> call)
    {
        return new KeyValuePair<string, Func<string>>(name, call);
    }

    /// <summary>A LicensingException is an answer of the library (it was reached): its code.</summary>
    private static string Catching(Func<string> call)
    {
        try
        {
            return call();
        }
        catch (LicensingException e)
        {
            return "LicensingException " + e.Code + ": " + e.Message;
        }
    }

    public static int Main(string[] args)
    {
        var loads = new List<string>();
        string first = "version";
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--load" && i + 1 < args.Length)
            {
                loads.Add(args[++i]);
            }
            else if (args[i] == "--first" && i + 1 < args.Length)
            {
                first = args[++i];
            }
            else
            {
                Console.WriteLine("usage: LoadingProbe.exe [--load PATH]... [--first NAME]; not " + args[i]);
                return 2;
            }
        }
        if (!EntryPoints.Any(e => e.Key == first))
        {
            Console.WriteLine("unknown --first " + first + ": one of " + string.Join(", ", EntryPoints.Select(e => e.Key)));
            return 2;
        }
        try
        {
            foreach (string path in loads)
            {
                LicensingLibrary.Load(path);
                Console.WriteLine("LOAD OK " + path);
            }
            foreach (var entry in EntryPoints.Where(e => e.Key == first).Concat(EntryPoints.Where(e => e.Key != first)))
            {
                Console.WriteLine("CALL " + entry.Key + ": " + entry.Value());
            }
            Console.WriteLine("LOADED " + LicensingLibrary.Version);
            foreach (string file in MappedLibraries())
            {
                Console.WriteLine("MAPPED " + file);
            }
            return 0;
        }
        catch (DllNotFoundException e)
        {
            Console.WriteLine("NOT FOUND");
            Console.WriteLine(e.Message);
            Console.WriteLine(Again(e.Message));
            return 10;
        }
        catch (EntryPointNotFoundException e)
        {
            Console.WriteLine("NO ENTRY POINT");
            Console.WriteLine(e.Message);
            return 11;
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine("REFUSED");
            Console.WriteLine(e.Message);
            return 12;
        }
        catch (Exception e)
        {
            Console.WriteLine("OTHER: " + e);
            return 3;
        }
        finally
        {
            if (Directory.Exists(Scratch))
            {
                Directory.Delete(Scratch, true);
            }
        }
    }

    /// <summary>A later use after a failure: the first failure, repeated.</summary>
    private static string Again(string first)
    {
        try
        {
            Console.WriteLine("version " + LicensingLibrary.Version);
            return "AGAIN: loaded";
        }
        catch (DllNotFoundException e)
        {
            return e.Message == first ? "AGAIN: the same DllNotFoundException" : "AGAIN: another DllNotFoundException: " + e.Message;
        }
    }

    /// <summary>The shared objects with "licensing" in their name that this process maps (Linux).</summary>
    private static IEnumerable<string> MappedLibraries()
    {
        if (!File.Exists("/proc/self/maps"))
        {
            return new string[0];
        }
        return File.ReadAllLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') >= 0 ? line.Substring(line.IndexOf('/')) : "")
            .Where(path => Path.GetFileName(path).Contains("licensing") && path.EndsWith(".so", StringComparison.Ordinal))
            .Distinct()
            .ToList();
    }
}
