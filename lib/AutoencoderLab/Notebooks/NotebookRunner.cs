using System.Diagnostics;
using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// Runs notebooks headless in a real .NET Interactive kernel (dotnet-repl, a local tool of this repository), the way
/// VS Code would: from the notebook's folder, against the library published for kernels in <c>artifacts/kernel</c>;
/// dotnet-repl (a local tool of this repository) or Jupyter (nbconvert with the .NET Interactive kernel).
/// </summary>
public static class NotebookRunner
{
    /// <summary>Where the library is published for notebook kernels (what the notebooks' <c>#r</c> lines point at).</summary>
    public static string KernelDirectory => Path.Combine(ProjectPaths.Root, "artifacts", "kernel");

    /// <summary>The file the notebooks' setup cell compares with the library's sources; it holds the backend the kernel library was built for.</summary>
    public static string KernelStamp => Path.Combine(KernelDirectory, "kernel.stamp");

    /// <summary>
    /// Publishes the library for kernels (<c>-p:PublishProfile=Kernel</c>: natives flat beside TorchSharp.dll, the
    /// libstdc++ fix applied) with the given libtorch <paramref name="backend"/> (cpu or cuda), writes the stamp the
    /// notebooks' setup cell reads, records the repository in <c>~/.aelab/root</c> (so notebooks outside it, e.g. a
    /// course's release folders, find it) and restores the dotnet-repl tool. Reports each step through <paramref name="log"/>.
    /// </summary>
    public static void PrepareKernel(Action<string> log, string backend = "cpu")
    {
        var project = Path.Combine(ProjectPaths.Root, "lib", "AutoencoderLab", "AutoencoderLab.csproj");
        if (!File.Exists(project)) throw new AutoencoderLabException($"The library project is not at {project}: run this from the repository.");
        log($"Publishing the library ({backend}) for notebook kernels into {KernelDirectory} ...");
        Dotnet(PublishArguments(project, backend), ProjectPaths.Root);
        File.WriteAllText(KernelStamp, backend);
        var pointer = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aelab", "root");
        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        File.WriteAllText(pointer, ProjectPaths.Root);
        log("Restoring the dotnet-repl tool ...");
        RestoreTools();
    }

    /// <summary>
    /// True when the kernel library is published and newer than every source it is built from: the rule of the notebooks'
    /// setup cell (which must carry its own copy, as it runs before the library is loaded).
    /// </summary>
    public static bool KernelIsCurrent()
    {
        if (!File.Exists(KernelStamp)) return false;
        var root = ProjectPaths.Root;
        var stamp = File.GetLastWriteTimeUtc(KernelStamp);
        var separator = Path.DirectorySeparatorChar;
        var sources = Directory.EnumerateFiles(Path.Combine(root, "lib", "AutoencoderLab"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(root, "Directory.*"))
            .Concat(Directory.Exists(Path.Combine(root, "build")) ? Directory.EnumerateFiles(Path.Combine(root, "build")) : []);
        return !sources.Any(f => File.GetLastWriteTimeUtc(f) > stamp);
    }

    /// <summary>Restores the repository's local tools (dotnet-repl).</summary>
    public static void RestoreTools() => Dotnet(["tool", "restore"], ProjectPaths.Root);

    /// <summary>The <c>dotnet</c> arguments that publish the library for kernels (the setup cell runs the same).</summary>
    public static IReadOnlyList<string> PublishArguments(string project, string backend) =>
        ["publish", project, "-p:PublishProfile=Kernel", $"-p:TorchBackend={backend}", "-nologo", "-v", "quiet"];

    static void Dotnet(IReadOnlyList<string> arguments, string workingDirectory)
    {
        var command = new ProcessCommand("dotnet", arguments) { WorkingDirectory = workingDirectory };
        var result = ChildProcess.Run(command);
        if (result.ExitCode != 0)
            throw new AutoencoderLabException($"'{command}' failed:{Environment.NewLine}{result.Output}{result.Error}");
    }

    /// <summary>
    /// Executes <paramref name="notebook"/> in a real kernel of <paramref name="client"/>, from the notebook's folder,
    /// writing the executed copy to <paramref name="output"/>. With <paramref name="quick"/>, the notebook's parameters
    /// switch to quick mode (<see cref="NotebookParameters"/>).
    /// </summary>
    public static NotebookRunResult Run(string notebook, string output, bool quick, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, NotebookClient client = NotebookClient.Repl)
    {
        notebook = Path.GetFullPath(notebook);
        output = Path.GetFullPath(output);
        if (!File.Exists(notebook)) throw new AutoencoderLabException($"No notebook at {notebook}.");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var temporary = output + ".running.ipynb";
        var command = client == NotebookClient.Jupyter ? JupyterClient.Start(notebook, temporary).WithEnvironment(ReplTool.KernelEnvironment)
            : ReplTool.RunNotebook(notebook, temporary);
        // Relative paths in cells resolve against the kernel's working directory: run from the notebook's folder, as editors do.
        command = command.WithEnvironment(new Dictionary<string, string>
        {
            [NotebookParameters.QuickVariable] = quick ? "1" : "0",
            [NotebookParameters.HeadlessVariable] = "1",
        }).WithEnvironment(environment ?? new Dictionary<string, string>()) with { WorkingDirectory = Path.GetDirectoryName(notebook)! };
        var clock = Stopwatch.StartNew();
        using var run = ChildProcess.Start(command);
        if (!run.WaitOrKill(timeout ?? TimeSpan.FromMinutes(quick ? 10 : 600))) throw new AutoencoderLabException($"{notebook} did not finish in time.");
        if (!File.Exists(temporary))
            throw new AutoencoderLabException($"The kernel wrote no output for {notebook} (exit code {run.ExitCode}):{Environment.NewLine}{run.Output}{run.Error}");
        // The kernel's copy may drop cell metadata (nbgrader's among it): keep the source notebook and take only the outputs.
        var merged = MergeOutputs(File.ReadAllText(notebook), File.ReadAllText(temporary), notebook);
        File.Delete(temporary);
        AtomicFile.Write(output, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(merged)));
        return new NotebookRunResult(notebook, output, run.ExitCode, clock.Elapsed, ReadCells(output));
    }

    /// <summary>The source notebook with each cell's outputs and execution count taken from the executed copy.</summary>
    public static string MergeOutputs(string sourceIpynb, string executedIpynb, string name = "notebook")
    {
        var source = JsonNode.Parse(sourceIpynb)!.AsObject();
        var executed = NotebookCells.Of(JsonNode.Parse(executedIpynb)!.AsObject()).ToList();
        var cells = NotebookCells.Of(source).ToList();
        if (cells.Count != executed.Count)
            throw new AutoencoderLabException($"{name}: the kernel returned {executed.Count} cells for {cells.Count}; outputs not merged.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (!NotebookCells.IsCode(cells[i])) continue;
            cells[i]["outputs"] = executed[i]["outputs"]?.DeepClone() ?? new JsonArray();
            cells[i]["execution_count"] = executed[i]["execution_count"]?.DeepClone();
            OutputProvenance.Stamp(cells[i]);
        }
        return NotebookCells.Serialize(source);
    }

    /// <summary>The cells of an executed notebook: which failed and with what, which drew charts.</summary>
    public static IReadOnlyList<CellResult> ReadCells(string executedNotebook)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(executedNotebook))!.AsObject();
        return NotebookCells.Of(notebook).Select((cell, i) =>
        {
            var outputs = (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var grading = cell["metadata"]?["nbgrader"];
            bool chart = outputs.Any(o => ChartOutput.IsChart(string.Concat((o["data"]?["text/html"] as JsonArray ?? []).Select(l => l?.GetValue<string>()))
                                              + (o["data"]?["text/html"] as JsonValue)?.GetValue<string>()));
            return new CellResult(i + 1, NotebookCells.IsCode(cell), grading?["grade_id"]?.GetValue<string>(), grading?["grade"]?.GetValue<bool>() == true,
                NotebookCells.Error(cell), chart);
        }).ToList();
    }
}
