using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AutoencoderLab.Runtime;

/// <summary>
/// A running child process started from a <see cref="ProcessCommand"/>. Its standard input is closed at once (a child
/// never reads the user's terminal); standard output and error are read as they come, line by line, so a chatty child
/// cannot fill a pipe and stall. <see cref="Kill"/> ends the whole process tree.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    readonly Process process;
    readonly Task<string> output, error;

    ChildProcess(Process process, Action<string>? lines)
    {
        this.process = process;
        output = Drain(process.StandardOutput, lines);
        error = Drain(process.StandardError, lines);
    }

    /// <summary>
    /// Starts <paramref name="command"/>. With <paramref name="lines"/>, every line of output and error goes there as it
    /// comes, and <see cref="Output"/> and <see cref="Error"/> stay empty (a child that prints without end cannot fill
    /// the parent's memory); without it, both are kept whole.
    /// </summary>
    /// <exception cref="ProgramMissingException">The program could not be started.</exception>
    public static ChildProcess Start(ProcessCommand command, Action<string>? lines = null)
    {
        var start = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments) start.ArgumentList.Add(argument);
        if (command.WorkingDirectory is not null) start.WorkingDirectory = command.WorkingDirectory;
        foreach (var (name, value) in command.Environment) start.Environment[name] = value;
        Process process;
        try { process = Process.Start(start)!; }
        catch (Win32Exception e) { throw new ProgramMissingException(command.Program, e); }
        process.StandardInput.Close();
        return new ChildProcess(process, lines);
    }

    /// <summary>
    /// Runs <paramref name="command"/> to its end and returns what it printed. After <paramref name="timeout"/> (default:
    /// none) the process tree is killed and the result says <see cref="ChildResult.TimedOut"/>; on cancellation it is killed
    /// and <see cref="OperationCanceledException"/> thrown.
    /// </summary>
    /// <exception cref="ProgramMissingException">The program could not be started.</exception>
    public static ChildResult Run(ProcessCommand command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var child = Start(command);
        if (!child.WaitOrKill(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken)) return new ChildResult(-1, child.Output, child.Error, TimedOut: true);
        return new ChildResult(child.ExitCode, child.Output, child.Error, TimedOut: false);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the process to exit; when it does not, kills the tree and returns false.
    /// On cancellation the tree is killed and <see cref="OperationCanceledException"/> thrown.
    /// </summary>
    public bool WaitOrKill(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using (cancellationToken.Register(Kill))
        {
            bool exited = process.WaitForExit(timeout);
            cancellationToken.ThrowIfCancellationRequested();
            if (exited) return true;
        }
        Kill();
        return false;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit (for a caller that watches it); true when it has.</summary>
    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    /// <summary>Waits for the process to exit and for its output and error to be read to their end.</summary>
    public void WaitForExit()
    {
        process.WaitForExit();
        Task.WaitAll(output, error);
    }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The exit code (only once <see cref="HasExited"/>).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Everything the process printed on standard output, once it has closed it (waits until then).</summary>
    public string Output => output.Result;

    /// <summary>Everything the process printed on standard error, once it has closed it (waits until then).</summary>
    public string Error => error.Result;

    /// <summary>Kills the process and every process it started; nothing happens when it has already exited.</summary>
    public void Kill()
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already exited
    }

    /// <inheritdoc/>
    public void Dispose() => process.Dispose();

    static async Task<string> Drain(StreamReader reader, Action<string>? lines)
    {
        var text = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (lines is not null) lines(line);
                else text.Append(line).Append('\n');
            }
        }
        catch (ObjectDisposedException) { } // disposed before the child closed its end: what was read is all there is
        return text.ToString();
    }
}
