using System.ComponentModel;
using System.Diagnostics;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary>
/// <c>aelab bench grade</c>: grades a class of students who all handed in the four notebooks solved, in quick mode, and
/// prints notebooks per minute and the kernels' start-up seconds per notebook.
/// </summary>
public sealed class BenchGradeCommand(IAnsiConsole console) : Command<BenchGradeCommand.Settings>
{
    public sealed class Settings : BenchSettings
    {
        [CommandOption("--students <N>")]
        [Description("Students in the class.")]
        [DefaultValue(20)]
        public int Students { get; init; } = 20;

        [CommandOption("--workers <N>")]
        [Description("Students graded at once (default: the core count).")]
        public int? Workers { get; init; }

        public override ValidationResult Validate()
        {
            if (Students < 1) return ValidationResult.Error($"--students must be at least 1, not {Students}.");
            if (Workers < 1) return ValidationResult.Error($"--workers must be at least 1, not {Workers}.");
            return base.Validate();
        }
    }

    /// <summary>What the benchmark prints and writes.</summary>
    public sealed record Measurements(int Students, int Notebooks, int Workers, double Seconds, double NotebooksPerMinute, double KernelStartSecondsPerNotebook,
        double SecondsPerNotebook, IReadOnlyDictionary<string, double> MeanSecondsByNotebook, IReadOnlyDictionary<string, double> MeanCpuSecondsByNotebook,
        IReadOnlyList<CellCost> CostliestCells, double Points, double MaxPoints, bool Sandboxed, string Machine);

    /// <summary>A code cell's mean wall and CPU seconds over the class (from the executed notebooks' cell metadata).</summary>
    public sealed record CellCost(string Notebook, int Cell, string FirstLine, double Seconds, double CpuSeconds);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = DataPreparation.Ensure(console, settings.Data, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("aelab-bench-grade-");
        try
        {
            var course = CourseNotebook.LoadAll(Path.Combine(ProjectPaths.Root, "notebooks"));
            for (int s = 0; s < settings.Students; s++)
                foreach (var notebook in course)
                {
                    var path = Path.Combine(folder.FullName, "submitted", $"student{s + 1:D2}", notebook.Name + ".ipynb");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, NotebookCells.Serialize(notebook.Solved()));
                }
            var options = new GradeOptions
            {
                Submissions = Path.Combine(folder.FullName, "submitted"), Out = Path.Combine(folder.FullName, "grades"), Data = data.Directory,
                Quick = true, Workers = settings.Workers ?? Environment.ProcessorCount,
            };
            var grader = new Grader(options, Sandbox.Find());
            // The kernel library and tools are made ready outside the timing (a one-off of any grading run).
            grader.Prepare(line => console.WriteLine(line));
            var clock = Stopwatch.StartNew();
            var book = grader.Run(new SyncProgress<GradingProgress>(p => console.MarkupLine(Markup.Escape(
                $"[{p.Done}/{p.Total}] {p.Grade.Student} {p.Grade.Notebook}: {p.Grade.Points}/{p.Grade.MaxPoints} {GradeStatusText.Of(p.Grade.Status)}, {p.Grade.Seconds:F1} s (kernel start {p.Grade.KernelStartSeconds:F1} s)"))),
                line => console.WriteLine(line), cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var rows = book.Rows;
            var cells = CellCosts(Path.Combine(options.Out, Grader.ExecutedFolder));
            var measured = new Measurements(settings.Students, rows.Count, options.Workers, seconds, rows.Count / (seconds / 60),
                rows.Average(r => r.KernelStartSeconds), rows.Average(r => r.Seconds),
                rows.GroupBy(r => r.Notebook).ToDictionary(g => g.Key, g => Math.Round(g.Average(r => r.Seconds), 1)),
                cells.GroupBy(c => c.Notebook).ToDictionary(g => g.Key, g => Math.Round(g.Sum(c => c.CpuSeconds), 1)),
                cells.OrderByDescending(c => c.CpuSeconds).Take(8).ToList(),
                rows.Sum(r => r.Points), rows.Sum(r => r.MaxPoints), grader.Sandbox.Confines, MachineDescription.Current);
            var table = new Table().AddColumn("notebook").AddColumn(new TableColumn("mean seconds").RightAligned())
                .AddColumn(new TableColumn("CPU seconds in its cells").RightAligned());
            foreach (var (name, mean) in measured.MeanSecondsByNotebook)
                table.AddRow(name, $"{mean:F1}", measured.MeanCpuSecondsByNotebook.TryGetValue(name, out var cpu) ? $"{cpu:F1}" : "-");
            console.Write(table);
            var costly = new Table().AddColumn("costliest cells").AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("CPU seconds").RightAligned());
            foreach (var c in measured.CostliestCells) costly.AddRow(Markup.Escape($"{c.Notebook} [{c.Cell}] {c.FirstLine}"), $"{c.Seconds:F1}", $"{c.CpuSeconds:F1}");
            console.Write(costly);
            console.WriteLine($"{measured.Notebooks} notebooks of {measured.Students} students in {measured.Seconds:F0} s with {measured.Workers} workers: " +
                              $"{measured.NotebooksPerMinute:F1} notebooks per minute; kernel start-up {measured.KernelStartSecondsPerNotebook:F1} s per notebook; " +
                              $"{measured.SecondsPerNotebook:F1} s per notebook in its kernel");
            console.WriteLine($"points {measured.Points} of {measured.MaxPoints} (every student handed in the solutions); sandboxed: {(measured.Sandboxed ? "yes" : "no")}; machine: {measured.Machine}");
            settings.WriteJson(measured);
            return measured.Points == measured.MaxPoints ? 0 : 1;
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Each code cell's mean wall and CPU seconds over the executed notebooks in <paramref name="executed"/>.</summary>
    static List<CellCost> CellCosts(string executed)
    {
        var samples = new List<(string Notebook, int Cell, string FirstLine, double Seconds, double Cpu)>();
        foreach (var path in Directory.EnumerateFiles(executed, "*.ipynb", SearchOption.AllDirectories))
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) is not System.Text.Json.Nodes.JsonObject notebook) continue;
            int index = 0;
            foreach (var cell in NotebookCells.Of(notebook))
            {
                if (NotebookCells.IsCode(cell) && cell["metadata"]?[TracedNotebook.CpuSecondsKey]?.GetValue<double>() is { } cpu)
                    samples.Add((Path.GetFileNameWithoutExtension(path), index, NotebookCells.Source(cell).Split('\n')[0].Trim(),
                        cell["metadata"]?[TracedNotebook.SecondsKey]?.GetValue<double>() ?? 0, cpu));
                index++;
            }
        }
        return samples.GroupBy(s => (s.Notebook, s.Cell))
            .Select(g => new CellCost(g.Key.Notebook, g.Key.Cell, g.First().FirstLine.Length > 60 ? g.First().FirstLine[..60] + "..." : g.First().FirstLine,
                Math.Round(g.Average(s => s.Seconds), 2), Math.Round(g.Average(s => s.Cpu), 2)))
            .OrderBy(c => c.Notebook).ThenBy(c => c.Cell).ToList();
    }
}
