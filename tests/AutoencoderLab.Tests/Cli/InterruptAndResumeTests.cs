using System.Diagnostics;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;

namespace AutoencoderLab.Tests.Cli;

/// <summary>A real child process, a real signal, a real resume.</summary>
public class InterruptAndResumeTests
{
    static string[] Reproduce(string output, int epochs) =>
        ["reproduce", "--epochs", epochs.ToString(), "--contrastive-epochs", "0", "--checkpoint-every", "1",
         "--data", TestPaths.SharedMnist, "--out", output, "--device", "cpu", "--threads", "1", "--no-tsne"];

    /// <summary>Starts aelab, sends <paramref name="signal"/> once a line matching <paramref name="trigger"/> appears, returns exit code and output.</summary>
    static (int ExitCode, string Output) RunAndSignal(string[] arguments, string trigger, string signal)
    {
        // A shell that starts jobs in the background (as CI runners may) leaves SIGINT ignored in every child, and .NET
        // then keeps it ignored; env (coreutils) restores the default disposition before exec, as in a terminal.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = TestPaths.RepositoryRoot };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(TestPaths.AelabDll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "300";
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        bool sent = false;
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (!sent && e.Data.Contains(trigger, StringComparison.Ordinal))
            {
                sent = true;
                using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
                kill.WaitForExit();
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException(output.ToString()); }
        process.WaitForExit();
        Assert.True(sent, "the trigger line never appeared: " + output);
        return (process.ExitCode, output.ToString());
    }

    [Fact]
    public void Ctrl_C_checkpoints_exits_130_and_resume_ends_identical_to_a_straight_run()
    {
        using var interrupted = new TempDirectory();
        using var straight = new TempDirectory();

        var (code, output) = RunAndSignal(Reproduce(interrupted.Path, 3), "reconstruction epoch 1/3", "INT");

        Assert.Equal(130, code);
        Assert.Contains("Checkpoint saved in", output);
        Assert.Contains($"--resume {interrupted.Path}", output);
        var checkpoint = new RunDirectory(interrupted.Path).Checkpoint("reconstruction");
        var saved = Checkpoint.Read(checkpoint).Metadata;
        Assert.True(saved.CompletedEpochs >= 1 && saved.CompletedEpochs < 3, $"checkpoint at epoch {saved.CompletedEpochs}");
        Assert.False(File.Exists(new RunDirectory(interrupted.Path).Results));

        // Starting afresh over it is refused: nothing is lost by a repeated command.
        var checkpointBytes = File.ReadAllBytes(checkpoint);
        var again = Aelab.Run(Reproduce(interrupted.Path, 3));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume", again.All);
        Assert.Equal(checkpointBytes, File.ReadAllBytes(checkpoint));

        var resumed = Aelab.Run("reproduce", "--resume", interrupted.Path, "--data", TestPaths.SharedMnist, "--device", "cpu", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("Resuming reconstruction training", resumed.Output);

        var reference = Aelab.Run(Reproduce(straight.Path, 3));
        Assert.True(reference.ExitCode == 0, reference.All);

        var a = RunResults.Load(new RunDirectory(interrupted.Path).Results);
        var b = RunResults.Load(new RunDirectory(straight.Path).Results);
        Assert.Equal(3 * 59, a.Losses.Reconstruction.Count);
        Assert.Equal(b.Losses.Reconstruction, a.Losses.Reconstruction);
        Assert.Equal(b.Accuracy, a.Accuracy);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Path, RunDirectory.ReconstructionWeights)),
                     File.ReadAllBytes(Path.Combine(interrupted.Path, RunDirectory.ReconstructionWeights)));
    }

    [Fact]
    public void SIGTERM_checkpoints_and_exits_143()
    {
        using var dir = new TempDirectory();
        var (code, output) = RunAndSignal(Reproduce(dir.Path, 50), "Problem 2: training", "TERM");
        Assert.Equal(143, code);
        Assert.Contains("Checkpoint saved in", output);
        Assert.True(File.Exists(new RunDirectory(dir.Path).Checkpoint("reconstruction")));
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void Resume_reads_the_data_from_the_folder_the_run_recorded()
    {
        using var run = new TempDirectory();
        using var empty = new TempDirectory();
        var first = Aelab.Run(Reproduce(run.Path, 1));
        Assert.True(first.ExitCode == 0, first.All);
        // Nothing in the default data folder and no reachable mirror: only the folder in run.json can serve.
        var environment = new Dictionary<string, string> { ["AELAB_DATA"] = empty.Path, ["AELAB_MNIST_MIRRORS"] = "http://127.0.0.1:9/" };
        var resumed = Aelab.Run(["reproduce", "--resume", run.Path, "--device", "cpu", "--threads", "1"], environment);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Empty(Directory.GetFiles(empty.Path));
    }
}
