using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>The kernels' dotnet-repl starts as <c>dotnet DLL</c> (the restored package or its precompiled copy), not through the SDK's tool lookup.</summary>
public class ReplToolTests
{
    [Fact]
    public void The_command_is_an_entry_assembly_of_the_manifests_version()
    {
        var command = ReplTool.Command();
        Assert.Single(command);
        Assert.EndsWith($"{ReplTool.Name}.dll", command[0]);
        Assert.True(File.Exists(command[0]), command[0]);
        Assert.Contains($"{Path.DirectorySeparatorChar}{ReplTool.Version}{Path.DirectorySeparatorChar}", command[0]);
    }

    [Fact]
    public void A_kernel_runs_with_the_tools_runtime_settings()
    {
        using var folder = new TempDirectory();
        var notebook = OneCellNotebook.Of(string.Concat(ReplTool.KernelEnvironment.Keys
            .Select(name => $"System.Console.WriteLine(\"{name}=\" + System.Environment.GetEnvironmentVariable(\"{name}\"));\n")));
        File.WriteAllText(folder.File("settings.ipynb"), notebook.ToJsonString());
        var result = NotebookRunner.Run(folder.File("settings.ipynb"), folder.File("out/settings.ipynb"), quick: true, timeout: TimeSpan.FromMinutes(3));
        Assert.Equal("0", ReplTool.KernelEnvironment["DOTNET_TieredPGO"]);
        Assert.Equal("1000", ReplTool.KernelEnvironment["DOTNET_TC_CallCountingDelayMs"]);
        var executed = File.ReadAllText(result.Output);
        foreach (var (name, value) in ReplTool.KernelEnvironment) Assert.Contains($"{name}={value}", executed);
    }
}
