using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Cli;

/// <summary>Bad arguments give a clear message and a non-zero exit, never a stack trace.</summary>
public class ArgumentErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("reproduce --epochs -3")]
    [InlineData("reproduce --epochs many")]
    [InlineData("reproduce --device tpu")]
    [InlineData("reproduce --contrastive-epochs -1")]
    [InlineData("reproduce --no-such-option")]
    [InlineData("bench train --epochs 0")]
    [InlineData("bench train --threads -2")]
    [InlineData("reproduce --checkpoint-every -1")]
    [InlineData("reproduce --resume /no/such/dir")]
    [InlineData("reproduce --resume / --epochs 3")]
    [InlineData("sweep --seeds 5-1")]
    [InlineData("sweep --seeds one,two")]
    [InlineData("sweep --problem 3")]
    [InlineData("sweep --epochs 0")]
    public void Bad_arguments_exit_non_zero_with_a_message_and_no_stack_trace(string arguments)
    {
        var result = Aelab.Run(arguments.Split(' '));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rror", result.All);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Fact]
    public void A_file_given_as_data_directory_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x"), "");
        var result = Aelab.Run("data", "--data", dir.File("x"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is a file", result.All);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var result = Aelab.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("reproduce", result.Output);
        Assert.Contains("bench", result.Output);
    }

    [Fact]
    public void No_network_and_no_files_is_a_clear_error_naming_the_files_and_md5s()
    {
        using var dir = new TempDirectory();
        var result = Aelab.Run(["data", "--data", dir.Path], new Dictionary<string, string> { ["AELAB_MNIST_MIRRORS"] = "http://127.0.0.1:9/" });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Could not download", result.All);
        Assert.Contains("f68b3c2dcbeaaa9fbdd348bbdeb94873", result.All);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", result.All);
        Assert.DoesNotContain("   at ", result.All);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_corrupt_data_file_is_named_in_the_error()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.CopyReal(dir.Path);
        var broken = dir.File("train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..1000]);
        var result = Aelab.Run("data", "--data", dir.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("train-labels-idx1-ubyte.gz", result.All);
        Assert.DoesNotContain("   at ", result.All);
    }

    [SkippableFact]
    public void Asking_for_cuda_in_a_cpu_build_is_a_clear_error_not_a_silent_fallback()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "a CUDA build on a GPU machine: nothing to refuse");
        var result = Aelab.Run("bench", "train", "--device", "cuda", "--epochs", "1", "--data", TestPaths.SharedMnist);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("TorchBackend=cuda", result.All);
        Assert.DoesNotContain("   at ", result.All);
    }
}
