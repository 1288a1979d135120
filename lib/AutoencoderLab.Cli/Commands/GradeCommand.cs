using System.ComponentModel;
using System.Globalization;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Grading;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab grade</c>: autograde a class's notebooks into a gradebook, with a feedback page per student and notebook.</summary>
public sealed class GradeCommand(IAnsiConsole console) : Command<GradeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SUBMISSIONS>")]
        [Description("Folder with one folder per student (STUDENT/NOTEBOOK.ipynb), or nbgrader's submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb.")]
        public string Submissions { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Where gradebook.csv, gradebook.json, feedback/ and executed/ go. Grading the same class into it again resumes: graded students are kept.")]
        public string? Out { get; init; }

        [CommandOption("--quick")]
        [Description("Run the notebooks in quick mode (1 epoch, 1,000-point t-SNE maps) instead of the assignment's 500 epochs.")]
        public bool Quick { get; init; }

        [CommandOption("--workers <N>")]
        [Description("Students graded at once, one kernel each (default: the core count).")]
        public int? Workers { get; init; }

        [CommandOption("--cell-timeout <S>")]
        [Description("Seconds a cell may run; then it earns 0 and the rest of the notebook runs without it (default: 120 with --quick, else 7200).")]
        public double? CellTimeout { get; init; }

        [CommandOption("--notebook-timeout <S>")]
        [Description("Seconds a notebook may run, reruns included (default: 600 with --quick, else 14400).")]
        public double? NotebookTimeout { get; init; }

        [CommandOption("--regrade")]
        [Description("Grade again the students the gradebook in --out already has.")]
        public bool Regrade { get; init; }

        [CommandOption("--shard <K/N>")]
        [Description("Grade students K, K+N, K+2N, ... (0-based, name order): one of N machines. Gradebooks of the shards concatenate.")]
        public string? Shard { get; init; }

        [CommandOption("--instructor <DIR>")]
        [Description("The instructor notebooks (solutions, hidden tests, points); default: notebooks/ of the repository.")]
        public string? Instructor { get; init; }

        [CommandOption("--data <DIR>")]
        [Description("MNIST folder (default: AELAB_DATA or data/ of the repository); downloaded there if missing.")]
        public string? Data { get; init; }

        public override ValidationResult Validate()
        {
            if (!Directory.Exists(Submissions)) return ValidationResult.Error($"No submissions folder at '{Submissions}'.");
            if (Out is null) return ValidationResult.Error("--out DIR is required: where the gradebook and the feedback go.");
            if (File.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a file; give a directory.");
            if (Workers < 1) return ValidationResult.Error($"--workers must be at least 1, not {Workers}.");
            if (CellTimeout <= 0) return ValidationResult.Error($"--cell-timeout must be more than 0 seconds, not {CellTimeout}.");
            if (NotebookTimeout <= 0) return ValidationResult.Error($"--notebook-timeout must be more than 0 seconds, not {NotebookTimeout}.");
            if (Shard is not null)
            {
                try { Grading.Shard.Parse(Shard); }
                catch (FormatException e) { return ValidationResult.Error(e.Message); }
            }
            if (Instructor is not null && !Directory.Exists(Instructor)) return ValidationResult.Error($"No instructor notebooks folder at '{Instructor}'.");
            return ValidationResult.Success();
        }

        public GradeOptions ToOptions(string data) => new()
        {
            Submissions = Path.GetFullPath(Submissions), Out = Path.GetFullPath(Out!), Instructor = Instructor is null ? null : Path.GetFullPath(Instructor),
            Data = data, Quick = Quick, Workers = Workers ?? Environment.ProcessorCount,
            CellTimeout = CellTimeout is { } c ? TimeSpan.FromSeconds(c) : null, NotebookTimeout = NotebookTimeout is { } n ? TimeSpan.FromSeconds(n) : null,
            Regrade = Regrade, Shard = Shard is null ? Grading.Shard.All : Grading.Shard.Parse(Shard),
        };
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = DataPreparation.Ensure(console, settings.Data, cancellationToken);
        var options = settings.ToOptions(data.Directory);
        var grader = new Grader(options, Sandbox.Find());
        var book = Grade(grader, cancellationToken);
        var table = new Table().AddColumns("student", "notebook", "points", "status", "reason");
        foreach (var row in book.Rows)
            table.AddRow(Markup.Escape(row.Student), row.Notebook, $"{Number(row.Points)} / {Number(row.MaxPoints)}",
                row.Status == GradeStatus.Ok ? "[green]ok[/]" : $"[yellow]{GradeStatusText.Of(row.Status)}[/]", Markup.Escape(row.Reason ?? ""));
        console.Write(table);
        console.MarkupLine($"Gradebook: {Markup.Escape(Path.Combine(options.Out, Gradebook.CsvName))} and {Gradebook.JsonName}; " +
                               $"feedback pages in {Markup.Escape(Path.Combine(options.Out, Grader.FeedbackFolder))}.");
        return 0;
    }

    Gradebook Grade(Grader grader, CancellationToken token)
    {
        void Log(string line) => console.MarkupLine(Markup.Escape(line));
        if (!console.Profile.Capabilities.Interactive)
            return grader.Run(new SyncProgress<GradingProgress>(p => Log(Line(p))), Log, token);
        Gradebook? book = null;
        console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("grading", maxValue: 1);
                book = grader.Run(new SyncProgress<GradingProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{p.Grade.Student} {p.Grade.Notebook}: {GradeStatusText.Of(p.Grade.Status)}");
                }), Log, token);
            });
        return book!;
    }

    static string Line(GradingProgress p) =>
        $"[{p.Done}/{p.Total}] {p.Grade.Student} {p.Grade.Notebook}: {Number(p.Grade.Points)} / {Number(p.Grade.MaxPoints)}, {GradeStatusText.Of(p.Grade.Status)}" +
        (p.Grade.Reason is { } r ? $" ({r})" : "") + $", {p.Grade.Seconds:F1} s";

    static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
