using AutoencoderLab.Runtime;

namespace AutoencoderLab.Tests.Support;

/// <summary>
/// The PyTorch side of the parity tests: a Python interpreter that can <c>import torch</c> ($AELAB_PYTHON, else
/// Debian's /usr/bin/python3 with python3-torch) running tests/parity/pytorch_parity.py. Tests that need it call
/// <see cref="SkipUnlessAvailable"/>, so without PyTorch they are reported as skipped, never as passed.
/// </summary>
internal static class PyTorchPeer
{
    static readonly Lazy<(string? Python, string Reason)> found = new(Find);

    /// <summary>The parity script in the repository.</summary>
    public static string Script => Path.Combine(TestPaths.RepositoryRoot, "tests", "parity", "pytorch_parity.py");

    /// <summary>The Python that can import torch, or null.</summary>
    public static string? Python => found.Value.Python;

    /// <summary>Skips the calling test (visibly) when no Python with torch can be found.</summary>
    public static void SkipUnlessAvailable() => Skip.If(found.Value.Python is null, found.Value.Reason);

    /// <summary>Runs the parity script with <paramref name="arguments"/>; throws with its output when it fails.</summary>
    public static void Run(params string[] arguments)
    {
        var python = found.Value.Python ?? throw new InvalidOperationException(found.Value.Reason);
        var (code, output) = Execute(python, [Script, .. arguments]);
        if (code != 0) throw new InvalidOperationException($"pytorch_parity.py {string.Join(' ', arguments)} failed ({code}):\n{output}");
    }

    static (string?, string) Find()
    {
        var configured = Environment.GetEnvironmentVariable("AELAB_PYTHON");
        var python = string.IsNullOrEmpty(configured) ? "/usr/bin/python3" : configured;
        if (!File.Exists(python)) return (null, $"PyTorch not available: no {python} (install python3-torch, or set AELAB_PYTHON to a Python with torch)");
        var (code, output) = Execute(python, ["-c", "import torch; print(torch.__version__)"]);
        return code == 0 ? (python, "") : (null, $"PyTorch not available: {python} cannot import torch (apt-get install python3-torch, or set AELAB_PYTHON): {output.Trim()}");
    }

    static (int, string) Execute(string python, IReadOnlyList<string> arguments)
    {
        // Spinning threads starve the other processes on a 2-core machine.
        var result = ChildProcess.Run(new ProcessCommand(python, arguments).WithEnvironment(new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" }));
        return (result.ExitCode, result.Output + result.Error);
    }
}
