using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Licensing")]
[assembly: AssemblyDescription(".NET binding of the licensing library's C ABI")]
[assembly: AssemblyVersion("0.1.0.0")]
// The tests shrink the string getters' first buffer to exercise the retry,
// and call NativeMethods directly to compare the _n lookups with the others.
[assembly: InternalsVisibleTo("Licensing.Tests")]
