using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>The kernels' C# compiler compiled ahead of time: a real copy of dotnet-repl that runs a notebook.</summary>
public class ReplPrecompilerTests
{
    [SkippableFact]
    public void The_precompiled_copy_holds_ReadyToRun_compiler_assemblies_and_runs_kernels()
    {
        Skip.IfNot(RuntimeInformation.RuntimeIdentifier == "linux-x64", "crossgen2 is used on Linux x64 only");
        var messages = new List<string>();
        bool made = ReplPrecompiler.Ensure(messages.Add);
        Skip.If(!made && messages.Any(m => m.Contains("not available", StringComparison.Ordinal)), "no crossgen2 (the SDK could not restore it): " + string.Join(" ", messages));
        Assert.True(made, string.Join(Environment.NewLine, messages));

        var entry = ReplPrecompiler.EntryAssembly();
        Assert.NotNull(entry);
        Assert.Equal([entry!], ReplTool.Command());
        foreach (var assembly in ReplPrecompiler.Assemblies)
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(ReplPrecompiler.Folder, assembly)));
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun code");
        }
        // Everything else is the package's own file.
        var package = ReplTool.ToolFolder()!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(package, "Microsoft.CodeAnalysis.Features.dll")), File.ReadAllBytes(Path.Combine(ReplPrecompiler.Folder, "Microsoft.CodeAnalysis.Features.dll")));
        Assert.Equal(Directory.GetFiles(package, "*", SearchOption.AllDirectories).Length + 1, Directory.GetFiles(ReplPrecompiler.Folder, "*", SearchOption.AllDirectories).Length);

        // A kernel from the copy compiles and runs C#.
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("sum.ipynb"), OneCellNotebook.Of("System.Console.WriteLine($\"sum={Enumerable.Range(1, 10).Sum()}\");").ToJsonString());
        var result = NotebookRunner.Run(folder.File("sum.ipynb"), folder.File("out/sum.ipynb"), quick: true, timeout: TimeSpan.FromMinutes(3));
        Assert.Contains("sum=55", File.ReadAllText(result.Output));
    }
}
