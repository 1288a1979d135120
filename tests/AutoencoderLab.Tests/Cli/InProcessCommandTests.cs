using AutoencoderLab.Cli;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Tests.Support;
using Spectre.Console.Testing;

namespace AutoencoderLab.Tests.Cli;

/// <summary>Commands run in this process against a recording console: what they print, and the exit code of each kind of error.</summary>
public class InProcessCommandTests
{
    static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var console = new TestConsole().Width(200);
        int code = AelabApp.Create(console).Run(arguments);
        return (code, console.Output);
    }

    [Fact]
    public void Data_prints_each_file_and_its_md5_to_the_given_console()
    {
        var (code, output) = Run("data", "--data", TestPaths.SharedMnist);
        Assert.Equal(0, code);
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        foreach (var file in MnistFile.All)
        {
            Assert.Contains(file.Name, output);
            Assert.Contains(data.Checksums[file.Name], output);
        }
        Assert.Contains("60,000 training and 10,000 test images", output);
    }

    [Theory]
    [InlineData("--epochs -3", "--epochs must be 0 or more, not -3.")]
    [InlineData("--batch-size 0", "--batch-size must be at least 1, not 0.")]
    [InlineData("--tsne-points 50", "--tsne-points must be at least 100, not 50.")]
    [InlineData("--device tpu", "--device must be auto, cpu, cuda or cuda:N")]
    public void A_bad_option_is_a_usage_error_worded_by_the_library_rule_with_the_option_name(string arguments, string message)
    {
        var (code, output) = Run(["reproduce", .. arguments.Split(' ')]);
        Assert.Equal(ErrorReport.Usage, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public void A_user_error_exits_1_with_its_message_and_a_bug_exits_70_with_its_stack_trace()
    {
        var console = new TestConsole().Width(200);
        Assert.Equal(ErrorReport.Failure, ErrorReport.Show(new InvalidSettingsException("BatchSize", 0, "must be at least 1"), console));
        Assert.Contains("BatchSize must be at least 1, not 0.", console.Output);
        Assert.DoesNotContain("internal error", console.Output);

        console = new TestConsole().Width(200);
        Assert.Equal(ErrorReport.InternalError, ErrorReport.Show(Thrown(() => throw new ArgumentException("a bug")), console));
        Assert.Contains("internal error", console.Output);
        Assert.Contains("a bug", console.Output);
        Assert.Contains(nameof(A_user_error_exits_1_with_its_message_and_a_bug_exits_70_with_its_stack_trace), console.Output);
    }

    static Exception Thrown(Action action)
    {
        try { action(); }
        catch (Exception e) { return e; }
        throw new InvalidOperationException("nothing was thrown");
    }
}
