using System.ComponentModel;
using System.Globalization;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab sweep</c>: Problem 2 (and 4) once per seed, and how the results spread.</summary>
public sealed class SweepCommand(IAnsiConsole console) : Command<SweepCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("--seeds <SEEDS>")]
        [Description("Seeds to run: a range 1-5, a list 1,3,7, or a mix (1-3,10).")]
        [DefaultValue("1-5")]
        public string Seeds { get; init; } = "1-5";

        [CommandOption("--epochs <N>")]
        [Description("Epochs of each training (assignment: 500; --quick: 2).")]
        public int? Epochs { get; init; }

        [CommandOption("--quick")]
        [Description("Quick mode: 2 epochs per seed unless --epochs says otherwise.")]
        public bool Quick { get; init; }

        [CommandOption("--problem <PROBLEM>")]
        [Description("2 (reconstruction), 4 (with the contrastive term) or both.")]
        [DefaultValue("2")]
        public string Problem { get; init; } = "2";

        [CommandOption("--batch-size <N>")]
        [Description("Mini-batch size (the assignment's is the default).")]
        [DefaultValue(TrainingDefaults.BatchSize)]
        public int BatchSize { get; init; } = TrainingDefaults.BatchSize;

        [CommandOption("--checkpoint-every <N>")]
        [Description("Save each seed's checkpoint every N epochs (0: only at its end and on Ctrl+C).")]
        [DefaultValue(TrainingDefaults.CheckpointEvery)]
        public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;

        [CommandOption("--out <DIR>")]
        [Description("Output directory for sweep.json, sweep.html and a folder per seed (default: artifacts/sweep). Run the same command again to continue an interrupted sweep: finished seeds are kept.")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            try { SeedList.Parse(Seeds); }
            catch (FormatException e) { return ValidationResult.Error($"--seeds: {e.Message}."); }
            if (Problem.Trim().ToLowerInvariant() is not ("2" or "4" or "both")) return ValidationResult.Error($"--problem must be 2, 4 or both, not '{Problem}'.");
            if (Check(() => ToOptions().Validate()) is { } invalid) return invalid;
            if (Out is not null && File.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a file; give a directory.");
            return base.Validate();
        }

        public SweepOptions ToOptions()
        {
            var problem = Problem.Trim().ToLowerInvariant();
            return new SweepOptions
            {
                Seeds = SeedList.Parse(Seeds),
                Epochs = Epochs ?? (Quick ? ReproduceCommand.QuickEpochs : TrainingDefaults.Epochs),
                BatchSize = BatchSize,
                Reconstruction = problem is "2" or "both",
                Contrastive = problem is "4" or "both",
                CheckpointEvery = CheckpointEvery,
                OutputDirectory = Path.GetFullPath(Out ?? new SweepOptions().OutputDirectory),
                Machine = MachineDescription.Current,
            };
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // --seed belongs to the other commands; here it would silently do nothing.
        if (context.Arguments.Any(a => a == "--seed" || a.StartsWith("--seed=", StringComparison.Ordinal)))
            throw new AutoencoderLabException("sweep takes --seeds (e.g. --seeds 1-5), not --seed.");
        var options = settings.ToOptions();
        var data = settings.LoadData(console, cancellationToken);
        var sweep = new SeedSweep(options);
        var display = new TrainingDisplay(console);
        sweep.TrainingProgress = display;
        sweep.PhaseStarted += phase => console.MarkupLine(Markup.Escape(phase));
        var results = display.Show($"Seed sweep: seeds {settings.Seeds}, {options.Epochs} epoch(s) each", () => sweep.Run(data, cancellationToken));
        foreach (var (problem, part) in results.Problems) console.Write(Summary(problem, part));
        console.MarkupLine($"Sweep in [bold]{Markup.Escape(Path.Combine(options.OutputDirectory, SweepResults.FileName))}[/], " +
                           $"figure in [bold]{Markup.Escape(Path.Combine(options.OutputDirectory, SeedSweep.PageName))}[/].");
        return 0;
    }

    static Table Summary(string problem, ProblemSweep sweep)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title($"Problem {problem}: one row per seed")
            .AddColumn("seed").AddColumn(new TableColumn("last-epoch mean loss").RightAligned()).AddColumn(new TableColumn("last batch loss").RightAligned())
            .AddColumn(new TableColumn("latent accuracy (%)").RightAligned()).AddColumn(new TableColumn("alive bottleneck units").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var s in sweep.Seeds)
            table.AddRow($"{s.Seed}", F(s.LastEpochMeanLoss, "E4"), F(s.LastBatchLoss, "E4"), F(s.LatentAccuracy, "F2"), $"{s.AliveBottleneckUnits} of {s.Health.Bottleneck.Units}", F(s.Seconds, "F0"));
        var m = sweep.Summary;
        foreach (var (name, pick) in new (string, Func<Spread, double>)[] { ("mean", x => x.Mean), ("std. dev.", x => x.StandardDeviation), ("min", x => x.Min), ("max", x => x.Max) })
            table.AddRow(name, F(pick(m.LastEpochMeanLoss), "E4"), F(pick(m.LastBatchLoss), "E4"), F(pick(m.LatentAccuracy), "F2"), F(pick(m.AliveBottleneckUnits), "F1"), F(pick(m.Seconds), "F0"));
        var reference = problem == "4"
            ? $"assignment (one run, 500 epochs): latent accuracy {ReferenceResults.ContrastiveAccuracy:F2} %"
            : $"assignment (one run, 500 epochs): last batch loss {ReferenceResults.FinalReconstructionLoss:E6}, latent accuracy {ReferenceResults.LatentAccuracy:F2} %";
        return table.Caption(reference);
    }
}
