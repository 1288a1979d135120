using System.Runtime.InteropServices;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// A copy of dotnet-repl whose C# compiler (Roslyn) and .NET Interactive assemblies are compiled ahead of time
/// (ReadyToRun, with the SDK's crossgen2): the package ships them as IL, so every kernel compiled them anew; a graded
/// class starts four kernels a student (README, grading). Made once per machine and tool version in
/// <c>artifacts/repl</c>; <see cref="ReplTool"/> starts kernels from it when it is there. Linux x64 only; elsewhere, or
/// when crossgen2 cannot be had, kernels start from the package as before.
/// </summary>
public static class ReplPrecompiler
{
    /// <summary>The assemblies compiled: the ones a notebook run JIT-compiles most (the rest cost more to compile than they save).</summary>
    public static IReadOnlyList<string> Assemblies { get; } =
    [
        "Microsoft.CodeAnalysis.dll", "Microsoft.CodeAnalysis.CSharp.dll", "Microsoft.CodeAnalysis.Scripting.dll",
        "Microsoft.CodeAnalysis.CSharp.Scripting.dll", "Microsoft.DotNet.Interactive.dll", "Microsoft.DotNet.Interactive.CSharp.dll",
    ];

    const string Stamp = "precompiled.stamp";

    /// <summary>The precompiled copy of the tool's folder.</summary>
    public static string Folder => Path.Combine(ProjectPaths.Root, "artifacts", "repl", ReplTool.Version);

    /// <summary>The copy's entry assembly, or null when there is no complete copy.</summary>
    public static string? EntryAssembly()
    {
        var folder = Folder; // reads the tool manifest
        var entry = Path.Combine(folder, ReplTool.Name + ".dll");
        return File.Exists(Path.Combine(folder, Stamp)) && File.Exists(entry) ? entry : null;
    }

    /// <summary>
    /// Makes the precompiled copy if it is missing (a few tens of CPU seconds, once); true when kernels can start from
    /// it. Never throws for a missing crossgen2 or a failed compilation: it says why through <paramref name="log"/>.
    /// </summary>
    public static bool Ensure(Action<string>? log = null)
    {
        if (EntryAssembly() is not null) return true;
        if (RuntimeInformation.RuntimeIdentifier != "linux-x64") return false;
        var tool = ReplTool.ToolFolder();
        if (tool is null) return false;
        var crossgen = Crossgen2() ?? Restore(); // Restore looks for it again after restoring
        if (crossgen is null) { log?.Invoke("crossgen2 is not available: kernels start from dotnet-repl's own (IL) assemblies."); return false; }
        log?.Invoke($"Compiling dotnet-repl's C# compiler ahead of time into {Folder} (once) ...");
        var parent = Path.GetDirectoryName(Folder)!;
        Directory.CreateDirectory(parent);
        var building = Path.Combine(parent, $".building-{Guid.NewGuid():N}"); // beside the copy: moved into place in one step
        Directory.CreateDirectory(building);
        try
        {
            foreach (var file in Directory.EnumerateFiles(tool, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(building, Path.GetRelativePath(tool, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var framework = RuntimeEnvironment.GetRuntimeDirectory();
            foreach (var assembly in Assemblies)
            {
                var compiled = Path.Combine(building, assembly + ".r2r");
                var result = ChildProcess.Run(new ProcessCommand(crossgen,
                    [Path.Combine(tool, assembly), "-o", compiled, "-r", Path.Combine(tool, "*.dll"), "-r", Path.Combine(framework, "*.dll"),
                     "--targetos", "linux", "--targetarch", "x64", "-O"]), TimeSpan.FromMinutes(5));
                if (result.ExitCode != 0 || !File.Exists(compiled))
                {
                    log?.Invoke($"crossgen2 failed on {assembly} (exit code {result.ExitCode}): kernels start from dotnet-repl's own assemblies. {result.Error}");
                    return false;
                }
                File.Move(compiled, Path.Combine(building, assembly), overwrite: true);
            }
            File.WriteAllText(Path.Combine(building, Stamp), $"{ReplTool.Version} {Environment.Version} {string.Join(' ', Assemblies)}");
            try { Directory.Move(building, Folder); }
            catch (IOException) when (EntryAssembly() is not null) { } // another process finished first
            return EntryAssembly() is not null;
        }
        finally
        {
            if (Directory.Exists(building)) try { Directory.Delete(building, recursive: true); } catch (IOException) { }
        }
    }

    // crossgen2 from the NuGet folder: the version of this runtime, else the newest of the same major version.
    static string? Crossgen2()
    {
        var packages = Path.Combine(ReplTool.NuGetPackages, "microsoft.netcore.app.crossgen2.linux-x64");
        if (!Directory.Exists(packages)) return null;
        var versions = Directory.GetDirectories(packages).Select(Path.GetFileName)
            .Where(v => Version.TryParse(v, out var parsed) && parsed.Major == Environment.Version.Major)
            .OrderByDescending(v => v == Environment.Version.ToString()).ThenByDescending(v => Version.Parse(v!));
        return versions.Select(v => Path.Combine(packages, v!, "tools", "crossgen2")).FirstOrDefault(File.Exists);
    }

    // The SDK downloads the crossgen2 package that matches it when a ReadyToRun project is restored.
    static string? Restore()
    {
        var project = Directory.CreateTempSubdirectory("aelab-crossgen-");
        try
        {
            File.WriteAllText(Path.Combine(project.FullName, "Crossgen.csproj"),
                $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>" +
                "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><PublishReadyToRun>true</PublishReadyToRun></PropertyGroup></Project>");
            // Outside the repository: its Directory.Build.props and central package versions are not for this project.
            var result = ChildProcess.Run(new ProcessCommand("dotnet", ["restore", "-nologo", "-v", "quiet"]) { WorkingDirectory = project.FullName }, TimeSpan.FromMinutes(5));
            return result.ExitCode == 0 ? Crossgen2() : null;
        }
        catch (ProgramMissingException) { return null; }
        finally
        {
            try { project.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
