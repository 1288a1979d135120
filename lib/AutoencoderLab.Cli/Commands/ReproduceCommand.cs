using System.ComponentModel;
using AutoencoderLab.Charts;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab reproduce</c>: the whole assignment end to end.</summary>
public sealed class ReproduceCommand(IAnsiConsole console) : Command<ReproduceCommand.Settings>
{
    /// <summary>Epochs of each problem in <c>--quick</c> mode.</summary>
    public const int QuickEpochs = 2;
    /// <summary>t-SNE points in <c>--quick</c> mode.</summary>
    public const int QuickTsnePoints = 5000;

    public sealed class Settings : CommonSettings
    {
        [CommandOption("--epochs <N>")]
        [Description("Epochs of Problem 2 (assignment: 500).")]
        public int? Epochs { get; init; }

        [CommandOption("--contrastive-epochs <N>")]
        [Description("Epochs of Problem 4 (assignment: 500).")]
        public int? ContrastiveEpochs { get; init; }

        [CommandOption("--quick")]
        [Description("Quick mode for CPUs and CI: 2 epochs per problem unless --epochs/--contrastive-epochs say otherwise.")]
        public bool Quick { get; init; }

        [CommandOption("--batch-size <N>")]
        [Description("Mini-batch size (the assignment's is the default).")]
        [DefaultValue(TrainingDefaults.BatchSize)]
        public int BatchSize { get; init; } = TrainingDefaults.BatchSize;

        [CommandOption("--out <DIR>")]
        [Description("Output directory for results.json and the weights (default: artifacts/reproduce).")]
        public string? Out { get; init; }

        [CommandOption("--checkpoint-every <N>")]
        [Description("Save a checkpoint every N epochs (0: only at the end of each problem and on Ctrl+C).")]
        [DefaultValue(TrainingDefaults.CheckpointEvery)]
        public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;

        [CommandOption("--resume <DIR>")]
        [Description("Continue the interrupted run in DIR from its last checkpoint (its settings come from DIR/run.json; --device, --threads and --data may differ).")]
        public string? Resume { get; init; }

        [CommandOption("--overwrite")]
        [Description("Start afresh even if --out holds an earlier run (its checkpoints are replaced).")]
        public bool Overwrite { get; init; }

        [CommandOption("--no-tsne")]
        [Description("Skip the three t-SNE maps (pixels, latent, contrastive latent).")]
        public bool NoTsne { get; init; }

        [CommandOption("--tsne-every <N>")]
        [Description("Embed every N-th training image (assignment: 3, i.e. 20,000 points).")]
        [DefaultValue(LatentMaps.DefaultEvery)]
        public int TsneEvery { get; init; } = LatentMaps.DefaultEvery;

        [CommandOption("--tsne-points <N>")]
        [Description("Embed at most N of them (default: all; --quick: 5,000).")]
        public int? TsnePoints { get; init; }

        public override ValidationResult Validate()
        {
            if (Check(() => ToOptions().Validate()) is { } invalid) return invalid;
            if (Out is not null && File.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a file; give a directory.");
            if (Resume is not null && !Directory.Exists(Resume)) return ValidationResult.Error($"--resume '{Resume}': no such directory.");
            if (Resume is not null && (Epochs is not null || ContrastiveEpochs is not null || Quick || Out is not null || Overwrite))
                return ValidationResult.Error("--resume continues a run with its own settings: it cannot be combined with --epochs, --contrastive-epochs, --quick, --out or --overwrite.");
            return base.Validate();
        }

        public ReproduceOptions ToOptions() => new()
        {
            Epochs = Epochs ?? (Quick ? QuickEpochs : TrainingDefaults.Epochs),
            ContrastiveEpochs = ContrastiveEpochs ?? (Quick ? QuickEpochs : TrainingDefaults.Epochs),
            BatchSize = BatchSize,
            Seed = Seed,
            Device = Device,
            Threads = Threads,
            DataDirectory = Data,
            OutputDirectory = Out ?? new ReproduceOptions().OutputDirectory,
            CheckpointEvery = CheckpointEvery,
            Overwrite = Overwrite,
            Tsne = !NoTsne,
            TsneEvery = TsneEvery,
            TsnePoints = TsnePoints ?? (Quick ? QuickTsnePoints : null),
        };
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        AssignmentRun run;
        if (settings.Resume is { } resume)
        {
            // The data folder the run recorded, unless --data names another.
            run = AssignmentRun.Resume(resume, saved => saved with { Device = options.Device, Threads = options.Threads, DataDirectory = options.DataDirectory ?? saved.DataDirectory });
            DataPreparation.Ensure(console, run.Options.DataDirectory, cancellationToken);
        }
        else
        {
            var location = DataPreparation.Ensure(console, options.DataDirectory, cancellationToken);
            run = new AssignmentRun(options with { DataDirectory = location.Directory });
        }
        using var renderer = ChromiumRenderer.Find();
        run.Renderer = renderer;
        RunResults results;
        try
        {
            results = new RunDisplay(console).Show(run, () => run.Run(cancellationToken));
        }
        catch (TrainingInterruptedException e)
        {
            console.MarkupLine($"[yellow]Interrupted[/] after epoch {e.Epoch}, batch {e.Batch} of the {Markup.Escape(e.Objective)} training.");
            console.MarkupLine($"Checkpoint saved in [bold]{Markup.Escape(e.CheckpointPath)}[/].");
            console.MarkupLine($"Resume with: [bold]aelab reproduce --resume {Markup.Escape(run.Options.OutputDirectory)}[/]");
            throw;
        }
        console.Write(Summary(results));
        console.MarkupLine($"Results in [bold]{Markup.Escape(run.Directory.Results)}[/].");
        ReportCommand.Describe(console, run.Report!);
        return 0;
    }

    static Table Summary(RunResults results)
    {
        var table = new Table().Title("Nearest-centroid accuracy on the 10,000 test images")
            .AddColumn("space").AddColumn(new TableColumn("ours (%)").RightAligned()).AddColumn(new TableColumn("assignment (%)").RightAligned()).AddColumn("epochs");
        table.AddRow("original (pixels)", $"{results.Accuracy.Original:F2}", $"{ReferenceResults.OriginalAccuracy:F2}", "-");
        table.AddRow("latent (Problem 2)", Format(results.Accuracy.Latent), $"{ReferenceResults.LatentAccuracy:F2}", $"{results.Epochs} (assignment: {TrainingDefaults.Epochs})");
        table.AddRow("latent, contrastive (Problem 4)", Format(results.Accuracy.Contrastive), $"{ReferenceResults.ContrastiveAccuracy:F2}", $"{results.ContrastiveEpochs} (assignment: {TrainingDefaults.Epochs})");
        if (results.UnitHealth is { } health)
            foreach (var (model, h) in health)
                table.AddRow($"alive bottleneck units ({(model == "contrastive" ? "Problem 4" : "Problem 2")})", $"{h.Bottleneck.Alive} of {h.Bottleneck.Units}", "-", "fire for at least one training image");
        if (results.Tsne is { } maps)
            foreach (var (space, map) in maps)
                table.AddRow($"t-SNE map of {space}", $"{100 * map.KnnAccuracy:F2}", "-", $"10-NN label accuracy, {map.Points:N0} points, {map.Seconds:F0} s");
        table.Caption($"{results.Parameters:N0} parameters, {results.Device}, {results.Threads} thread(s), " +
                      $"{Format(results.SecondsPerEpoch.Reconstruction)} / {Format(results.SecondsPerEpoch.Contrastive)} s per epoch, seed {results.Seed}");
        return table;
    }

    static string Format(double? value) => value is { } v ? v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
