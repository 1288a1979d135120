using System.Text.Json;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Build;

/// <summary>
/// The CUDA switch is evaluated, not restored: the CUDA packages are not served on the CPU build
/// machines. MSBuild's -getItem prints the package references a configuration would restore.
/// </summary>
public class TorchBackendTests
{
    static (int ExitCode, string Output) MSBuild(params string[] arguments)
    {
        var command = new ProcessCommand("dotnet", ["msbuild", Path.Combine("lib", "AutoencoderLab", "AutoencoderLab.csproj"), .. arguments])
            { WorkingDirectory = TestPaths.RepositoryRoot }.WithEnvironment(new Dictionary<string, string> { ["MSBUILDNOINPROCNODE"] = "1" });
        var result = ChildProcess.Run(command, TimeSpan.FromMinutes(2));
        return (result.ExitCode, result.Output + result.Error);
    }

    static string[] PackageReferences(params string[] properties)
    {
        var (code, output) = MSBuild(["-getItem:PackageReference", .. properties.Select(p => "-p:" + p)]);
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!)
            .Where(name => name.Contains("torch", StringComparison.OrdinalIgnoreCase) && name != "TorchSharp.PyBridge") // the backend's part of the references
            .Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Cpu_is_the_default_with_the_platforms_libtorch()
    {
        Assert.Equal(["TorchSharp", "libtorch-cpu-linux-x64"], PackageReferences("TorchPlatform=linux"));
        Assert.Equal(["TorchSharp", "libtorch-cpu-win-x64"], PackageReferences("TorchPlatform=windows"));
        Assert.Equal(["TorchSharp", "libtorch-cpu-osx-arm64"], PackageReferences("TorchPlatform=osx"));
    }

    [Fact]
    public void Cuda_switch_picks_the_platforms_cuda_bundle_instead()
    {
        Assert.Equal(["TorchSharp-cuda-linux"], PackageReferences("TorchBackend=cuda", "TorchPlatform=linux"));
        Assert.Equal(["TorchSharp-cuda-windows"], PackageReferences("TorchBackend=cuda", "TorchPlatform=windows"));
    }

    [Fact]
    public void The_kernel_library_for_notebooks_takes_the_same_switch_and_lands_in_artifacts_kernel()
    {
        Assert.Equal(["TorchSharp-cuda-linux"], PackageReferences("PublishProfile=Kernel", "TorchBackend=cuda", "TorchPlatform=linux"));
        Assert.Equal(["TorchSharp", "libtorch-cpu-linux-x64"], PackageReferences("PublishProfile=Kernel", "TorchPlatform=linux"));
        var (code, output) = MSBuild("-p:PublishProfile=Kernel", "-getProperty:PublishDir", "-getProperty:SelfContained", "-getProperty:Configuration");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var properties = json.RootElement.GetProperty("Properties");
        Assert.Equal(Path.Combine(TestPaths.RepositoryRoot, "artifacts", "kernel") + Path.DirectorySeparatorChar,
            Path.GetFullPath(properties.GetProperty("PublishDir").GetString()!));
        Assert.Equal("false", properties.GetProperty("SelfContained").GetString());
        Assert.Equal("Release", properties.GetProperty("Configuration").GetString());
    }

    [Theory]
    [InlineData("TorchBackend=rocm", "must be 'cpu' or 'cuda'")]
    [InlineData("TorchBackend=cuda;TorchPlatform=osx", "no CUDA build of libtorch for macOS")]
    public void Impossible_backends_fail_with_a_clear_message(string properties, string message)
    {
        var (code, output) = MSBuild(["-t:CheckTorchBackend", .. properties.Split(';').Select(p => "-p:" + p)]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
    }
}
