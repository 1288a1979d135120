using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Grading;

/// <summary>
/// Runs one notebook in a fresh dotnet-repl kernel inside the <see cref="Sandbox"/>, watching which cell runs. A cell
/// that outlives the cell timeout, or during which the kernel dies (Environment.Exit, a stack overflow, a crash), is
/// recorded and the notebook runs again from the start in a fresh kernel with that cell replaced by its reason, until
/// the notebook finishes, the notebook timeout passes or <see cref="MaxFaults"/> cells have failed that way.
/// </summary>
public sealed class GradingKernel(Sandbox sandbox, TimeSpan cellLimit, TimeSpan notebookLimit, IReadOnlyDictionary<string, string> environment,
    IReadOnlyList<string> readable)
{
    /// <summary>Cells a notebook may lose to timeouts and crashes before the grader gives up on it.</summary>
    public const int MaxFaults = 3;

    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan Linger = TimeSpan.FromSeconds(30); // a student's foreground thread can keep the kernel alive after the last cell

    /// <summary>
    /// Runs <paramref name="notebook"/> as <paramref name="path"/> (its folder is the kernel's working directory), keeping
    /// traces and the kernel's output in <paramref name="scratch"/>; only <paramref name="writable"/> can be written.
    /// </summary>
    public KernelRun Run(JsonObject notebook, string path, string scratch, string writable, CancellationToken token = default)
    {
        var faults = new Dictionary<int, CellFault>();
        var clock = Stopwatch.StartNew();
        double started = 0;
        for (int attempt = 1; ; attempt++)
        {
            var trace = Path.Combine(scratch, $"trace-{attempt}.txt");
            var output = Path.Combine(scratch, $"executed-{attempt}.ipynb");
            var traced = new TracedNotebook(notebook, trace, faults);
            File.WriteAllText(path, NotebookCells.Serialize(traced.Notebook));
            var once = RunOnce(path, trace, output, writable, notebookLimit - clock.Elapsed, token);
            started += once.StartSeconds ?? 0;
            if (once.Executed is { } executed)
            {
                JsonObject stripped;
                try { stripped = traced.Strip(executed); }
                catch (AutoencoderLabException e) { return new(null, faults, false, e.Message, clock.Elapsed.TotalSeconds, started); }
                return new(stripped, faults, false, null, clock.Elapsed.TotalSeconds, started);
            }
            if (once.Cell is not { } cell || once.NotebookTimedOut || faults.Count + 1 > MaxFaults || faults.ContainsKey(cell))
            {
                if (once.Cell is { } c && !once.NotebookTimedOut) faults.TryAdd(c, Fault(c, once));
                var why = once.NotebookTimedOut ? $"the notebook did not finish within {Seconds(notebookLimit)}"
                    : once.ReachedEnd ? $"the kernel ran every cell but wrote no executed notebook (exit code {once.ExitCode}): {once.Log}"
                    : once.Cell is null ? $"the kernel stopped before the first cell (exit code {once.ExitCode}): {once.Log}"
                    : $"{faults.Count} cells stopped the kernel or ran out of time; the grader gave up on this notebook";
                return new(null, faults, once.NotebookTimedOut, why, clock.Elapsed.TotalSeconds, started);
            }
            faults[cell] = Fault(cell, once);
        }
    }

    CellFault Fault(int cell, Once once) => once.CellTimedOut
        ? new CellFault(cell, true, $"The grader stopped this cell: it ran longer than {Seconds(cellLimit)} (an endless loop?). The rest of the notebook ran without it, in a fresh kernel.")
        : new CellFault(cell, false, $"The kernel stopped while running this cell (exit code {once.ExitCode}: Environment.Exit, a stack overflow or a crash). The rest of the notebook ran without it, in a fresh kernel.");

    static string Seconds(TimeSpan time) => time.TotalSeconds < 120 ? $"{time.TotalSeconds:0} s" : $"{time.TotalMinutes:0.#} min";

    sealed record Once(JsonObject? Executed, int? Cell, bool CellTimedOut, bool NotebookTimedOut, int ExitCode, double? StartSeconds, string Log)
    {
        public bool ReachedEnd { get; init; }
    }

    Once RunOnce(string notebook, string trace, string output, string writable, TimeSpan remaining, CancellationToken token)
    {
        var kernel = ReplTool.RunNotebook(notebook, output);
        var start = sandbox.Start(kernel.Program, kernel.Arguments, Path.GetDirectoryName(notebook)!, writable, readable).WithEnvironment(kernel.Environment);
        var log = new LogTail();
        var clock = Stopwatch.StartNew();
        // Its input is closed: a cell reading the console gets end of input, not the grader's terminal.
        using var process = ChildProcess.Start(start.WithEnvironment(environment), log.Add);
        string? current = null;
        var since = TimeSpan.Zero;
        double? first = null;
        int seen = 0;
        bool cellTimedOut = false, notebookTimedOut = false;
        long lastLength = -1;
        var lastChange = TimeSpan.Zero;
        while (!process.WaitForExit(Poll))
        {
            var lines = ReadTrace(trace);
            if (lines.Length > seen) { seen = lines.Length; current = lines[^1]; since = clock.Elapsed; first ??= clock.Elapsed.TotalSeconds; }
            if (token.IsCancellationRequested) { process.Kill(); token.ThrowIfCancellationRequested(); }
            if (clock.Elapsed > remaining) { notebookTimedOut = true; process.Kill(); break; }
            if (current is not null && current != TracedNotebook.End && clock.Elapsed - since > cellLimit) { cellTimedOut = true; process.Kill(); break; }
            if (current == TracedNotebook.End && Settled(output, ref lastLength, ref lastChange, clock.Elapsed) && clock.Elapsed - since > Linger) { process.Kill(); break; }
        }
        process.WaitForExit();
        var final = ReadTrace(trace);
        if (final.Length > 0) current = final[^1];
        int? cell = current is null || current == TracedNotebook.End ? null : int.Parse(current, CultureInfo.InvariantCulture);
        JsonObject? executed = null;
        string? broken = null;
        if (!cellTimedOut && !notebookTimedOut && current == TracedNotebook.End && File.Exists(output))
        {
            try { executed = JsonNode.Parse(File.ReadAllText(output)) as JsonObject; }
            catch (System.Text.Json.JsonException e) { broken = $"its executed notebook is not JSON ({e.Message})"; }
        }
        int exit = process.HasExited ? process.ExitCode : -1;
        return new Once(executed, cell, cellTimedOut, notebookTimedOut, exit, first, broken is null ? log.Text : $"{broken}; {log.Text}") { ReachedEnd = current == TracedNotebook.End };
    }

    // The executed notebook is written and has not grown for a while: a kernel still alive then is only kept alive
    // by a student's thread, not by the writing (a slow write on a busy machine must not be cut off).
    static bool Settled(string output, ref long lastLength, ref TimeSpan lastChange, TimeSpan now)
    {
        long length = File.Exists(output) ? new FileInfo(output).Length : -1;
        if (length != lastLength) { lastLength = length; lastChange = now; }
        return length > 0 && now - lastChange > TimeSpan.FromSeconds(10);
    }

    static string[] ReadTrace(string trace)
    {
        try { return File.Exists(trace) ? File.ReadAllLines(trace).Where(l => l.Length > 0).Select(TracedNotebook.Position).ToArray() : []; }
        catch (IOException) { return []; }
    }

    sealed class LogTail
    {
        readonly Queue<string> lines = new();
        public void Add(string line)
        {
            lock (lines) { lines.Enqueue(line); if (lines.Count > 20) lines.Dequeue(); }
        }
        public string Text { get { lock (lines) return string.Join(Environment.NewLine, lines); } }
    }
}
