using AutoencoderLab.Runtime;

namespace AutoencoderLab.Tests.Build;

/// <summary>The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 need weak in its output copies (README, "Toolchain notes").</summary>
public class NativeLibraryFixTests
{
    static string OutputCopy => Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();

    static bool SystemLibStdCxxHas(string version) =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Where(File.Exists).Any(p => File.ReadAllText(p, System.Text.Encoding.Latin1).Contains(version + "\0", StringComparison.Ordinal));

    [SkippableFact]
    public void The_output_copy_needs_GLIBCXX_3_4_32_only_weakly_where_the_system_lacks_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux only: the patch only exists there");
        var lines = ChildProcess.Run(new ProcessCommand("readelf", ["-V", OutputCopy])).Output.Split('\n');
        var need = lines.Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
        if (SystemLibStdCxxHas("GLIBCXX_3.4.32")) Assert.Contains("Flags: none", need);
        else Assert.Contains("Flags: WEAK", need);
    }

    [Fact]
    public void Libtorch_loads_and_computes()
    {
        using var x = TorchSharp.torch.ones(3, 3);
        Assert.Equal(9f, x.sum().item<float>());
    }
}
