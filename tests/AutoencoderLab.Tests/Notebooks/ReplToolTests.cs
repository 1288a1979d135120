using AutoencoderLab.Notebooks;

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
}
