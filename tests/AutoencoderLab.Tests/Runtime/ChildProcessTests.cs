using System.Diagnostics;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Runtime;

public class ChildProcessTests
{
    static ProcessCommand Shell(string script) => new("sh", ["-c", script]);

    [Fact]
    public void Arguments_pass_unquoted_and_output_and_error_are_kept_apart()
    {
        var result = ChildProcess.Run(new ProcessCommand("sh", ["-c", "printf '%s|' \"$@\"; echo oops >&2; exit 3", "sh", "a b", "'c'", ""]));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("a b|'c'||\n", result.Output);
        Assert.Equal("oops\n", result.Error);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public void Environment_additions_and_working_directory_reach_the_child()
    {
        using var dir = new TempDirectory();
        var command = Shell("echo \"$AELAB_CHILD_TEST $(pwd)\"") with { WorkingDirectory = dir.Path };
        command = command.WithEnvironment(new Dictionary<string, string> { ["AELAB_CHILD_TEST"] = "first" })
            .WithEnvironment(new Dictionary<string, string> { ["AELAB_CHILD_TEST"] = "second" });
        Assert.Equal($"second {Path.GetFullPath(dir.Path)}\n", ChildProcess.Run(command).Output);
    }

    [Fact]
    public void A_child_that_prints_more_than_a_pipe_holds_on_both_streams_does_not_stall()
    {
        // Far beyond a pipe's 64 KiB on each stream: a parent reading one stream after the other would deadlock.
        var result = ChildProcess.Run(Shell("i=0; while [ $i -lt 20000 ]; do echo 0123456789; echo 9876543210 >&2; i=$((i+1)); done"), TimeSpan.FromMinutes(2));
        Assert.False(result.TimedOut);
        Assert.Equal(20000 * 11, result.Output.Length);
        Assert.Equal(20000 * 11, result.Error.Length);
    }

    [Fact]
    public void Lines_go_to_the_callback_as_they_come_and_not_into_the_output()
    {
        var lines = new List<string>();
        using var child = ChildProcess.Start(Shell("echo one; echo two >&2"), line => { lock (lines) lines.Add(line); });
        child.WaitForExit();
        Assert.Equal(["one", "two"], lines.Order());
        Assert.Equal("", child.Output);
    }

    [Fact]
    public void Input_is_closed_so_a_reading_child_gets_end_of_input()
    {
        var result = ChildProcess.Run(Shell("if read line; then echo got; else echo eof; fi"), TimeSpan.FromMinutes(1));
        Assert.Equal("eof\n", result.Output);
    }

    [Fact]
    public void A_timeout_kills_the_whole_tree()
    {
        using var dir = new TempDirectory();
        var pid = dir.File("grandchild.pid");
        var clock = Stopwatch.StartNew();
        var result = ChildProcess.Run(Shell($"sleep 300 & echo $! > {pid}; wait"), TimeSpan.FromSeconds(2));
        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.False(Alive(int.Parse(File.ReadAllText(pid).Trim())), "the grandchild outlived the timeout");
    }

    [Fact]
    public void Cancellation_kills_the_child_and_throws()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => ChildProcess.Run(Shell("sleep 300"), cancellationToken: cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_missing_program_is_named()
    {
        var error = Assert.Throws<ProgramMissingException>(() => ChildProcess.Start(new ProcessCommand("aelab-no-such-program", [])));
        Assert.Equal("aelab-no-such-program", error.Program);
        Assert.Contains("'aelab-no-such-program' could not be started", error.Message);
    }

    static bool Alive(int pid)
    {
        // A killed child may stay a zombie of init for a moment: wait until it is gone or dead.
        for (int i = 0; i < 50; i++)
        {
            string[] status;
            try { status = File.ReadAllLines($"/proc/{pid}/status"); }
            catch (IOException) { return false; } // gone
            if (status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z'))) return false;
            Thread.Sleep(100);
        }
        return true;
    }
}
