using System.Reflection;
using System.Runtime.Loader;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// What a .NET Interactive kernel needs before the library's charts work. Plotly.NET 6 references
/// FSharp.Core 10.1, while the stock kernels load their own FSharp.Core 10.0: without help the first chart
/// fails with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". This class touches no
/// Plotly.NET type, so it can run before any is loaded.
/// </summary>
public static class KernelSetup
{
    static int applied;

    /// <summary>Answers requests for FSharp.Core with the copy already loaded, else the one beside this library (idempotent).</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name != "FSharp.Core") return null;
            var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
            if (loaded is not null) return loaded;
            var beside = Path.Combine(Path.GetDirectoryName(typeof(KernelSetup).Assembly.Location) ?? ".", "FSharp.Core.dll");
            return File.Exists(beside) ? context.LoadFromAssemblyPath(beside) : null;
        };
    }
}
