using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>
/// A notebook prepared for a watched run: before each code cell a one-line cell appends that cell's index to a trace
/// file (and a last one writes <see cref="End"/>), so the grader knows which cell is running when it must stop the
/// kernel or the kernel dies; cells that already failed that way are replaced by a statement that throws their reason,
/// so the rest of the notebook can run. Each trace line also holds the kernel's CPU seconds so far, so <see cref="Strip"/>,
/// which takes the trace cells out of the executed copy, can record each cell's CPU time beside its wall time.
/// </summary>
public sealed class TracedNotebook
{
    /// <summary>The trace file's last line once every cell has run.</summary>
    public const string End = "end";

    readonly List<int> positions = [];
    readonly JsonObject original;
    readonly string traceFile;

    /// <summary>Builds the traced copy of <paramref name="notebook"/>, writing to <paramref name="traceFile"/>.</summary>
    public TracedNotebook(JsonObject notebook, string traceFile, IReadOnlyDictionary<int, CellFault> faults)
    {
        original = notebook;
        this.traceFile = traceFile;
        Notebook = notebook.DeepClone().AsObject();
        var cells = new JsonArray();
        int index = 0;
        foreach (var cell in NotebookCells.Of(notebook))
        {
            var copy = cell.DeepClone().AsObject();
            if (NotebookCells.IsCode(cell))
            {
                cells.Add(TraceCell(traceFile, index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (faults.TryGetValue(index, out var fault))
                    NotebookCells.SetSource(copy, $"throw new global::System.TimeoutException({Literal(fault.Message)});");
            }
            positions.Add(cells.Count);
            cells.Add(copy);
            index++;
        }
        cells.Add(TraceCell(traceFile, End));
        Notebook["cells"] = cells;
    }

    /// <summary>The notebook to run.</summary>
    public JsonObject Notebook { get; }

    /// <summary>
    /// The original notebook (sources, metadata: dotnet-repl drops nbgrader's) with each code cell's outputs from the
    /// executed traced copy; a replaced cell keeps the student's source and shows its reason as its error.
    /// </summary>
    public JsonObject Strip(JsonObject executed)
    {
        var all = NotebookCells.Of(executed).ToList();
        if (all.Count != NotebookCells.Of(Notebook).Count())
            throw new AutoencoderLabException($"The kernel returned {all.Count} cells for {NotebookCells.Of(Notebook).Count()}.");
        var result = original.DeepClone().AsObject();
        var cells = NotebookCells.Of(result).ToList();
        var cpu = CpuSecondsByCell();
        for (int i = 0; i < cells.Count; i++)
        {
            if (!NotebookCells.IsCode(cells[i])) continue;
            cells[i]["outputs"] = all[positions[i]]["outputs"]?.DeepClone() ?? new JsonArray();
            cells[i]["execution_count"] = all[positions[i]]["execution_count"]?.DeepClone();
            var metadata = cells[i]["metadata"] as JsonObject ?? [];
            cells[i]["metadata"] = metadata;
            if (Seconds(all[positions[i]]) is { } seconds) metadata[SecondsKey] = Math.Round(seconds, 2);
            if (cpu.TryGetValue(i, out var cpuSeconds)) metadata[CpuSecondsKey] = Math.Round(cpuSeconds, 2);
        }
        return result;
    }

    /// <summary>The cell metadata key that records how long the cell ran, in seconds (which cells make a notebook slow).</summary>
    public const string SecondsKey = "aelab_seconds";

    /// <summary>The cell metadata key that records the kernel's CPU seconds during the cell (every thread; a busy machine inflates the wall time, not this).</summary>
    public const string CpuSecondsKey = "aelab_cpu_seconds";

    /// <summary>The cell index (or <see cref="End"/>) of a trace line.</summary>
    public static string Position(string traceLine) => traceLine.Split(' ')[0];

    // Cell i used the CPU seconds between its trace line and the next one.
    Dictionary<int, double> CpuSecondsByCell()
    {
        var byCell = new Dictionary<int, double>();
        string[] lines;
        try { lines = File.Exists(traceFile) ? File.ReadAllLines(traceFile).Where(l => l.Length > 0).ToArray() : []; }
        catch (IOException) { return byCell; }
        for (int k = 0; k + 1 < lines.Length; k++)
            if (int.TryParse(Position(lines[k]), System.Globalization.CultureInfo.InvariantCulture, out var cell) && Cpu(lines[k]) is { } from && Cpu(lines[k + 1]) is { } to)
                byCell[cell] = to - from;
        return byCell;
    }

    static double? Cpu(string traceLine) =>
        traceLine.Split(' ') is [_, var text] && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    // dotnet-repl stamps each executed cell with its start and end.
    static double? Seconds(JsonObject cell) =>
        cell["metadata"]?["dotnet_repl_cellExecutionStartTime"]?.GetValue<string>() is { } start
        && cell["metadata"]?["dotnet_repl_cellExecutionEndTime"]?.GetValue<string>() is { } end
        && DateTimeOffset.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, out var s)
        && DateTimeOffset.TryParse(end, System.Globalization.CultureInfo.InvariantCulture, out var e)
            ? (e - s).TotalSeconds : null;

    static JsonObject TraceCell(string traceFile, string line)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
            ["outputs"] = new JsonArray(),
        };
        NotebookCells.SetSource(cell, $"global::System.IO.File.AppendAllText({Literal(traceFile)}, {Literal(line + " ")} + " +
            "global::System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \"\\n\");");
        return cell;
    }

    static string Literal(string text) => System.Text.Json.JsonSerializer.Serialize(text); // a JSON string is a valid C# literal for this text
}
