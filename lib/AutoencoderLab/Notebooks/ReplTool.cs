using System.Text.Json.Nodes;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// dotnet-repl, the repository's local tool that runs notebooks headless (the grader's and the tests' kernels). A kernel
/// starts as <c>dotnet DLL</c> from the restored package: <c>dotnet tool run</c> would start the SDK first to look the
/// tool up, for every kernel.
/// </summary>
public static class ReplTool
{
    /// <summary>The tool's command name in <c>dotnet-tools.json</c>.</summary>
    public const string Name = "dotnet-repl";

    /// <summary>The tool's version in the repository's <c>dotnet-tools.json</c>.</summary>
    public static string Version
    {
        get
        {
            var manifest = Path.Combine(ProjectPaths.Root, "dotnet-tools.json");
            try { return JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[Name]?["version"]?.GetValue<string>() ?? throw new FormatException("no version"); }
            catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or System.Text.Json.JsonException)
            {
                throw new AutoencoderLabException($"{manifest} does not name a version of {Name} ({e.Message}).", e);
            }
        }
    }

    /// <summary>
    /// How a kernel's runtime is tuned: a notebook runs most of its code a few times, so tiered profile-guided
    /// optimisation (instrumenting hot methods, then compiling them again) costs more than it gains, and methods are
    /// counted for recompilation only once no new method has been compiled for a second (the runtime's 100 ms
    /// made the kernel recompile much of Roslyn and .NET Interactive between cells). glibc's allocator keeps one arena
    /// and the memory it was given (no trimming, blocks up to 32 MB from the heap): libtorch frees and allocates the
    /// same few megabytes every training step, and each time the pages came back fresh from the kernel (fewer page
    /// faults; the CPU saved is within the machine's noise). Measured in CPU time of a graded class: README.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KernelEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_TieredPGO"] = "0",
        ["DOTNET_TC_CallCountingDelayMs"] = "1000",
        ["MALLOC_ARENA_MAX"] = "1",
        ["MALLOC_MMAP_THRESHOLD_"] = "33554432",
        ["MALLOC_TRIM_THRESHOLD_"] = "4294967296",
        ["MALLOC_TOP_PAD_"] = "67108864",
    };

    /// <summary>
    /// The kernel that runs <paramref name="notebook"/> headless and writes the executed notebook to
    /// <paramref name="output"/>, with <see cref="KernelEnvironment"/>: the one way the grader and the runner start one.
    /// </summary>
    public static ProcessCommand RunNotebook(string notebook, string output) =>
        new ProcessCommand("dotnet", [.. Command(), "--run", notebook, "--exit-after-run", "--output-path", output]).WithEnvironment(KernelEnvironment);

    /// <summary>
    /// The arguments of <c>dotnet</c> that start the tool: the entry assembly of its precompiled copy
    /// (<see cref="ReplPrecompiler"/>) when there is one, else of the NuGet package folder (restoring the tool first when
    /// it is not there), or <c>tool run dotnet-repl</c> when the package is elsewhere (a custom NuGet setup).
    /// </summary>
    public static IReadOnlyList<string> Command()
    {
        if (ReplPrecompiler.EntryAssembly() is { } precompiled) return [precompiled];
        if (EntryAssembly() is not { } entry) { NotebookRunner.RestoreTools(); entry = EntryAssembly(); }
        return entry is null ? ["tool", "run", Name] : [entry];
    }

    /// <summary>The folder of the restored tool's entry assembly; null when the tool is not restored there.</summary>
    internal static string? ToolFolder() => EntryAssembly() is { } entry ? Path.GetDirectoryName(entry) : null;

    static string? EntryAssembly()
    {
        var tools = Path.Combine(NuGetPackages, Name, Version, "tools");
        return Directory.Exists(tools) ? Directory.EnumerateFiles(tools, Name + ".dll", SearchOption.AllDirectories).FirstOrDefault() : null;
    }

    internal static string NuGetPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
