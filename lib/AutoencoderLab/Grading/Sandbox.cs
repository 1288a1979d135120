using AutoencoderLab.Runtime;

namespace AutoencoderLab.Grading;

/// <summary>
/// Where a student's kernel runs: with bubblewrap (<c>bwrap</c>), the whole file system is read-only except the
/// student's temporary folder, <c>/tmp</c> is private, there is no network and no process outlives the kernel. A write
/// into the instructor's folder, the repository or another student's folder fails in the student's cell. Without
/// bubblewrap the kernel runs unconfined and the grader says so.
/// </summary>
public sealed class Sandbox
{
    Sandbox(string? bwrap) => Bwrap = bwrap;

    /// <summary>The bubblewrap executable, or null when there is none (unconfined).</summary>
    public string? Bwrap { get; }

    /// <summary>True when kernels are confined.</summary>
    public bool Confines => Bwrap is not null;

    /// <summary>What to tell the instructor when kernels are not confined.</summary>
    public const string Missing = "bubblewrap (bwrap) is not installed: student code runs unconfined and can write outside its temporary folder. Install it (Debian: apt-get install bubblewrap).";

    /// <summary>Confines with <c>bwrap</c> from the PATH, or not at all when it is missing or cannot start here.</summary>
    public static Sandbox Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "bwrap")).FirstOrDefault(File.Exists);
        return new Sandbox(path is not null && Works(path) ? path : null);
    }

    /// <summary>No confinement (for platforms without bubblewrap).</summary>
    public static Sandbox None { get; } = new(null);

    static bool Works(string bwrap)
    {
        // A container without user namespaces or CAP_SYS_ADMIN refuses bwrap: find out once, not per notebook.
        try
        {
            using var process = ChildProcess.Start(new ProcessCommand(bwrap, ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "--unshare-net", "true"]));
            return process.WaitOrKill(TimeSpan.FromSeconds(10)) && process.ExitCode == 0;
        }
        catch (ProgramMissingException) { return false; }
    }

    /// <summary>
    /// The command that runs <paramref name="file"/> with <paramref name="arguments"/> from <paramref name="workingDirectory"/>,
    /// able to write only inside <paramref name="writable"/>. <c>/tmp</c> is private (other students' folders are there),
    /// so folders under it the kernel must read (the repository, MNIST) are named in <paramref name="readable"/>.
    /// </summary>
    public ProcessCommand Start(string file, IEnumerable<string> arguments, string workingDirectory, string writable, IEnumerable<string> readable)
    {
        if (Bwrap is null) return new ProcessCommand(file, [.. arguments]) { WorkingDirectory = workingDirectory };
        List<string> wrapped = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
        foreach (var path in readable.Where(Directory.Exists).Distinct()) wrapped.AddRange(["--ro-bind", path, path]);
        wrapped.AddRange(["--bind", writable, writable, "--unshare-pid", "--unshare-net", "--die-with-parent", "--new-session", "--chdir", workingDirectory, "--", file]);
        wrapped.AddRange(arguments);
        return new ProcessCommand(Bwrap, wrapped) { WorkingDirectory = workingDirectory };
    }
}
