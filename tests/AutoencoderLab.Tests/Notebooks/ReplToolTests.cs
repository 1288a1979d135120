using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>The kernels' dotnet-repl starts as <c>dotnet DLL</c>, not through the SDK's tool lookup.</summary>
public class ReplToolTests
{
    [Fact]
    public void The_command_is_the_restored_tools_entry_assembly_of_the_manifests_version()
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
        var cell = new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            ["source"] = new JsonArray(ReplTool.KernelEnvironment.Keys
                .Select(name => (JsonNode)$"System.Console.WriteLine(\"{name}=\" + System.Environment.GetEnvironmentVariable(\"{name}\"));\n").ToArray()),
        };
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cell), ["nbformat"] = 4, ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }) } },
            },
        };
        File.WriteAllText(folder.File("settings.ipynb"), notebook.ToJsonString());
        var result = NotebookRunner.Run(folder.File("settings.ipynb"), folder.File("out/settings.ipynb"), quick: true, timeout: TimeSpan.FromMinutes(3));
        Assert.Equal("0", ReplTool.KernelEnvironment["DOTNET_TieredPGO"]);
        Assert.Equal("1000", ReplTool.KernelEnvironment["DOTNET_TC_CallCountingDelayMs"]);
        var executed = File.ReadAllText(result.Output);
        foreach (var (name, value) in ReplTool.KernelEnvironment) Assert.Contains($"{name}={value}", executed);
    }
}
