// Run by MissingLibraryTests in a process where liblicensing cannot be
// found: prints the binding's error and exits 0 when it is a
// DllNotFoundException, 2 when the library loaded after all, 3 otherwise.
using System;

public static class MissingLibraryProbe
{
    public static int Main()
    {
        try
        {
            new Licensing.Validator("no key").Dispose();
            Console.WriteLine("LOADED: the native library was found");
            return 2;
        }
        catch (DllNotFoundException e)
        {
            Console.WriteLine(e.Message);
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine("OTHER: " + e);
            return 3;
        }
    }
}
