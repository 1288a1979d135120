using System.Text.Json;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Training;

/// <summary>
/// The same epochs of Problem 2 timed in PyTorch (bench/pytorch_epoch.py) in a child Python process, for
/// <c>aelab bench train --peer</c>: the training set preloaded as one tensor, same batch size, optimiser and threads.
/// </summary>
/// <param name="Version">torch.__version__ of the peer.</param>
/// <param name="Threads">torch.get_num_threads() in the peer.</param>
/// <param name="EpochSeconds">Each epoch's seconds.</param>
/// <param name="MedianEpochSeconds">Their median.</param>
public sealed record PyTorchEpochs(string Version, int Threads, double[] EpochSeconds, double MedianEpochSeconds)
{
    /// <summary>Environment variable naming the Python to use (else python3 on the PATH, then /usr/bin/python3, Debian's python3-torch).</summary>
    public const string PythonVariable = "AELAB_PYTHON";

    /// <summary>The peer script: bench/pytorch_epoch.py in the repository.</summary>
    public static string Script => Path.Combine(ProjectPaths.Root, "bench", "pytorch_epoch.py");

    /// <summary>
    /// The first Python that can import torch: $AELAB_PYTHON alone when set, else python3 on the PATH, then
    /// /usr/bin/python3. Null, with the reason in <paramref name="reason"/>, when there is none or the script is missing.
    /// </summary>
    public static string? FindPython(out string reason)
    {
        if (!File.Exists(Script))
        {
            reason = $"{Script} not found (run aelab from the repository)";
            return null;
        }
        var configured = Environment.GetEnvironmentVariable(PythonVariable);
        string[] candidates = string.IsNullOrEmpty(configured) ? ["python3", "/usr/bin/python3"] : [configured];
        var failures = new List<string>();
        foreach (var python in candidates)
        {
            var (code, output) = Execute(python, ["-c", "import torch"], TimeSpan.FromMinutes(2), CancellationToken.None);
            if (code == 0)
            {
                reason = "";
                return python;
            }
            var lines = output.Trim().Split('\n');
            failures.Add($"{python}: {lines[^1].Trim()}");
        }
        reason = $"no Python that can import torch ({string.Join("; ", failures)}); set {PythonVariable} or apt-get install python3-torch";
        return null;
    }

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs on the images in <paramref name="trainImages"/> (an idx3 file, gzipped or not)
    /// with <paramref name="threads"/> threads on <paramref name="device"/> (cpu or cuda) and returns their times.
    /// Throws <see cref="AutoencoderLabException"/> with the script's output when it fails.
    /// </summary>
    public static PyTorchEpochs Run(string python, string trainImages, int epochs, int threads, string device, long seed, CancellationToken cancellationToken = default)
    {
        var (code, output) = Execute(python,
            [Script, "--images", trainImages, "--epochs", $"{epochs}", "--threads", $"{threads}", "--device", device, "--seed", $"{seed}"],
            TimeSpan.FromHours(2), cancellationToken);
        var json = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (code != 0 || json is null) throw new AutoencoderLabException($"{Path.GetFileName(Script)} failed (exit code {code}): {output.Trim()}");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new PyTorchEpochs(root.GetProperty("torch").GetString() ?? "?", root.GetProperty("threads").GetInt32(),
            root.GetProperty("epochSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray(), root.GetProperty("medianEpochSeconds").GetDouble());
    }

    // Standard output and error together: the last line of an import failure names the missing module.
    static (int Code, string Output) Execute(string python, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ChildResult result;
        try { result = ChildProcess.Run(new ProcessCommand(python, arguments), timeout, cancellationToken); }
        catch (ProgramMissingException e) { return (-1, e.InnerException!.Message); }
        return result.TimedOut ? (-1, $"timed out after {timeout}") : (result.ExitCode, result.Output + result.Error);
    }
}
