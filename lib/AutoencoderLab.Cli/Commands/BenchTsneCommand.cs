using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab bench tsne</c>: time and quality of the t-SNE on the assignment's subsample.</summary>
public sealed class BenchTsneCommand(IAnsiConsole console) : Command<BenchTsneCommand.Settings>
{
    public sealed class Settings : BenchSettings
    {
        [CommandOption("--points <N>")]
        [Description("Embed the first N of every third training image.")]
        [DefaultValue(20000)]
        public int Points { get; init; } = 20000;

        [CommandOption("--space <SPACE>")]
        [Description("pixels (784-d) or latent (50-d codes of a model trained --epochs epochs, or loaded from --model).")]
        [DefaultValue("latent")]
        public string Space { get; init; } = "latent";

        [CommandOption("--epochs <N>")]
        [Description("Epochs to train the model whose latent codes are embedded (when no --model is given).")]
        [DefaultValue(2)]
        public int Epochs { get; init; } = 2;

        [CommandOption("--method <METHOD>")]
        [Description("Repulsive forces: auto (Barnes-Hut below 50,000 points, FFT from there), fft (FIt-SNE interpolation) or bh (Barnes-Hut).")]
        [DefaultValue("auto")]
        public string Method { get; init; } = "auto";

        [CommandOption("--dump-csv <FILE>")]
        [Description("Also write the embedded input vectors as CSV (label, then one column per dimension), for a peer implementation.")]
        public string? DumpCsv { get; init; }

        [CommandOption("--model <FILE>")]
        [Description("Weights of a trained AutoEncoder (e.g. artifacts/reproduce/autoencoder.weights).")]
        public string? Model { get; init; }

        public override ValidationResult Validate()
        {
            if (Points < 100 || Points > 20000) return ValidationResult.Error($"--points must be between 100 and 20000, not {Points}.");
            if (Space is not ("pixels" or "latent")) return ValidationResult.Error($"--space must be 'pixels' or 'latent', not '{Space}'.");
            if (Method is not ("auto" or "fft" or "bh")) return ValidationResult.Error($"--method must be 'auto', 'fft' or 'bh', not '{Method}'.");
            if (Epochs < 1) return ValidationResult.Error($"--epochs must be at least 1, not {Epochs}.");
            if (Model is not null && !File.Exists(Model)) return ValidationResult.Error($"--model '{Model}': no such file.");
            return base.Validate();
        }
    }

    /// <summary>What the benchmark prints and writes.</summary>
    public sealed record Measurements(int Points, string Space, string Method, double Seconds, IReadOnlyDictionary<string, double> PhaseSeconds,
        double KnnPreservation, double KnnAccuracy, double Kl, int Threads, int TorchThreads, string Machine);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = settings.LoadData(console, cancellationToken);
        var maps = new LatentMaps(data, limit: settings.Points);
        using var vectors = settings.Space == "pixels" ? maps.Pixels() : LatentCodes(settings, data, maps, console, cancellationToken);

        if (settings.DumpCsv is { } dump) DumpCsv(dump, vectors, maps.Labels);
        var options = new TsneOptions
        {
            Seed = settings.Seed,
            Repulsion = settings.Method switch { "fft" => TsneRepulsion.Fft, "bh" => TsneRepulsion.BarnesHut, _ => TsneRepulsion.Auto },
        };
        var method = options.RepulsionFor(maps.Positions.Length) == TsneRepulsion.Fft ? "fft" : "bh";
        console.MarkupLine($"Embedding {settings.Points:N0} points of {vectors.shape[1]}-d {settings.Space} space ({method} repulsion)...");
        var embedding = Tsne.Embed(vectors, options, new TsneDisplay(console), cancellationToken);
        var measured = new Measurements(embedding.Count, settings.Space, method, embedding.Seconds, embedding.PhaseSeconds,
            EmbeddingQuality.NeighborPreservation(embedding), EmbeddingQuality.NeighborLabelAccuracy(embedding, maps.Labels), embedding.Kl,
            options.ThreadsFor(embedding.Count), get_num_threads(), MachineDescription.Current);

        var table = new Table().AddColumn("phase").AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var (phase, seconds) in measured.PhaseSeconds) table.AddRow(phase, $"{seconds:F2}");
        table.AddRow("[bold]total[/]", $"[bold]{measured.Seconds:F2}[/]");
        console.Write(table);
        console.WriteLine($"10-NN label accuracy: {measured.KnnAccuracy:F4}   10-NN preservation: {measured.KnnPreservation:F4}   KL: {measured.Kl:F4}");
        console.WriteLine($"threads: {measured.Threads} (libtorch, for the neighbours: {measured.TorchThreads})   machine: {measured.Machine}");
        settings.WriteJson(measured);
        return 0;
    }

    /// <summary>Writes the rows of <paramref name="vectors"/> as CSV lines "label,v0,v1,...", shortest round-trip floats.</summary>
    static void DumpCsv(string path, Tensor vectors, long[] labels)
    {
        using var values = vectors.to_type(ScalarType.Float32).cpu().contiguous();
        var data = values.data<float>().ToArray();
        int dimensions = (int)vectors.shape[1];
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            for (int i = 0; i < labels.Length; i++)
            {
                writer.Write(labels[i].ToString(CultureInfo.InvariantCulture));
                for (int d = 0; d < dimensions; d++)
                {
                    writer.Write(',');
                    writer.Write(data[i * dimensions + d].ToString("R", CultureInfo.InvariantCulture));
                }
                writer.WriteLine();
            }
        });
    }

    static Tensor LatentCodes(Settings settings, MnistDataset data, LatentMaps maps, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var model = AutoEncoder.Seeded(settings.Seed, data.Device);
        if (settings.Model is { } path)
        {
            try { model.load(path); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
            {
                throw new AutoencoderLabException($"{path}: not the weights of this AutoEncoder ({e.Message})", e);
            }
        }
        else
        {
            console.MarkupLine($"Training the autoencoder for {settings.Epochs} epoch(s) to get latent codes...");
            using var trainer = new Trainer(model, new ReconstructionObjective(), data.TrainImages, data.TrainLabels,
                new TrainingOptions { Epochs = settings.Epochs, Seed = settings.Seed });
            trainer.Run(cancellationToken: cancellationToken);
        }
        return maps.Latent(model);
    }
}
