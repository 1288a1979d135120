using AutoencoderLab.Classification;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using AutoencoderLab.Models;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// The whole assignment in order: data, Problem 1 model, Problem 2 training, Problem 3 accuracies
/// in both spaces, Problem 4 contrastive training and its latent accuracy, then results.json and
/// the weights. Front ends observe it through <see cref="PhaseStarted"/> and <see cref="TrainingProgress"/>.
/// </summary>
public sealed class AssignmentRun(ReproduceOptions options)
{
    /// <summary>File name of the Problem 2 model's weights in the output directory.</summary>
    public const string ReconstructionWeights = "autoencoder.weights";
    /// <summary>File name of the Problem 4 model's weights in the output directory.</summary>
    public const string ContrastiveWeights = "autoencoder-contrastive.weights";

    /// <summary>The Problem 2 model as a PyTorch state dict with the original's key names (<see cref="PyTorchWeights"/>).</summary>
    public const string ReconstructionPyTorchWeights = "autoencoder.pt";
    /// <summary>The Problem 4 model as a PyTorch state dict with the original's key names.</summary>
    public const string ContrastivePyTorchWeights = "autoencoder-contrastive.pt";

    /// <summary>File in the output directory that records the run's settings, for <c>--resume</c>.</summary>
    public const string SettingsFile = "run.json";

    /// <summary>Where the checkpoint of <paramref name="objective"/> lives in an output directory.</summary>
    public static string CheckpointFile(string directory, string objective) => Path.Combine(directory, "checkpoints", objective + ".ckpt");

    /// <summary>
    /// A run that continues the one in <paramref name="directory"/>: its settings come from the directory's run.json;
    /// <paramref name="adjust"/> may change where it runs (device, threads, data) but should not change what it computes.
    /// </summary>
    public static AssignmentRun Resume(string directory, Func<ReproduceOptions, ReproduceOptions>? adjust = null)
    {
        var path = Path.Combine(directory, SettingsFile);
        if (!File.Exists(path))
            throw new AutoencoderLabException($"{directory} holds no run to resume (no {SettingsFile}); start one with 'reproduce --out {directory}'.");
        ReproduceOptions? saved;
        try { saved = System.Text.Json.JsonSerializer.Deserialize<ReproduceOptions>(File.ReadAllText(path), RunResults.JsonOptions); }
        catch (System.Text.Json.JsonException e) { throw new AutoencoderLabException($"{path}: not a valid run settings file ({e.Message})", e); }
        if (saved is null) throw new AutoencoderLabException($"{path}: empty run settings file");
        saved = saved with { OutputDirectory = Path.GetFullPath(directory), Resume = true };
        return new AssignmentRun(adjust is null ? saved : adjust(saved) with { OutputDirectory = saved.OutputDirectory, Resume = true });
    }

    /// <summary>The run's settings.</summary>
    public ReproduceOptions Options { get; } = options;

    /// <summary>Raised when a phase begins, with a one-line description.</summary>
    public event Action<string>? PhaseStarted;

    /// <summary>Receives training progress of Problems 2 and 4 (synchronously, on the training thread).</summary>
    public IProgress<TrainingProgress>? TrainingProgress { get; set; }

    /// <summary>Renders the report's PNG copies; null skips them (the report page is written regardless).</summary>
    public ChromiumRenderer? Renderer { get; set; }

    /// <summary>The report written by the last <see cref="Run"/>.</summary>
    public ReportOutput? Report { get; private set; }

    /// <summary>Receives progress of the t-SNE maps.</summary>
    public IProgress<TsneProgress>? TsneProgress { get; set; }

    /// <summary>Nearest-centroid accuracy (%) on raw pixels: fit on the training images, scored on the test images.</summary>
    public static double OriginalSpaceAccuracy(MnistDataset data)
    {
        using var classifier = NearestCentroid.Fit(data.TrainImages, data.TrainLabels);
        return classifier.Accuracy(data.TestImages, data.TestLabels);
    }

    /// <summary>Nearest-centroid accuracy (%) in <paramref name="model"/>'s latent space.</summary>
    public static double LatentSpaceAccuracy(AutoEncoder model, MnistDataset data)
    {
        using var scope = NewDisposeScope();
        using var classifier = NearestCentroid.Fit(model.EncodeAll(data.TrainImages), data.TrainLabels);
        return classifier.Accuracy(model.EncodeAll(data.TestImages), data.TestLabels);
    }

    /// <summary>
    /// Trains <paramref name="model"/> with <paramref name="objective"/> on the training set, checkpointing into the
    /// output directory, and continuing from the checkpoint there when the run is a resumed one.
    /// </summary>
    public TrainingHistory Train(AutoEncoder model, ITrainingObjective objective, MnistDataset data, int epochs, CancellationToken cancellationToken = default)
    {
        var checkpoint = CheckpointFile(Options.OutputDirectory, objective.Name);
        using var trainer = new Trainer(model, objective, data.TrainImages, data.TrainLabels,
            new TrainingOptions { Epochs = epochs, BatchSize = Options.BatchSize, Seed = Options.Seed, CheckpointEvery = Options.CheckpointEvery }, checkpoint);
        if (Options.Resume && File.Exists(checkpoint))
        {
            trainer.LoadCheckpoint(checkpoint);
            PhaseStarted?.Invoke($"Resuming {objective.Name} training after epoch {trainer.CompletedEpochs}, batch {trainer.CompletedBatches}");
        }
        try
        {
            return trainer.Run(TrainingProgress, cancellationToken);
        }
        catch (TrainingDivergedException e)
        {
            var problem = objective is ContrastiveObjective ? "Problem 4" : "Problem 2";
            var kept = File.Exists(checkpoint) ? $"The last good checkpoint stays in {checkpoint}." : "No checkpoint had been written yet.";
            throw new AutoencoderLabException($"{problem}: {e.Message} {kept}", e);
        }
    }

    /// <summary>Runs every phase and writes results.json and the two models' weights into the output directory.</summary>
    public RunResults Run(CancellationToken cancellationToken = default)
    {
        Options.Validate();
        TorchSetup.SetThreads(Options.Threads);
        var device = DeviceChoice.Resolve(Options.Device);
        PrepareOutputDirectory();

        PhaseStarted?.Invoke("Loading MNIST");
        var data = MnistDataset.Load(MnistLocation.Resolve(Options.DataDirectory), device);

        PhaseStarted?.Invoke($"Problem 2: training the autoencoder for {Options.Epochs} epochs on {device.type.ToString().ToLowerInvariant()}");
        using var model = new AutoEncoder().Initialise(Options.Seed, device);
        var history = Train(model, new ReconstructionObjective(), data, Options.Epochs, cancellationToken);
        SaveWeights(model, ReconstructionWeights, ReconstructionPyTorchWeights);
        var health = UnitHealth.Measure(model, data.TrainImages);

        PhaseStarted?.Invoke("Problem 3: nearest-centroid accuracy in pixel and latent space");
        double original = OriginalSpaceAccuracy(data);
        double latent = LatentSpaceAccuracy(model, data);

        var maps = Options.Tsne ? new LatentMaps(data, Options.TsneEvery, Options.TsnePoints, TsneProgress) : null;
        var tsne = new Dictionary<string, TsneSummary>();
        if (maps is not null)
        {
            PhaseStarted?.Invoke($"t-SNE of {maps.Positions.Length:N0} training images in pixel space");
            using var pixels = maps.Pixels();
            var (pixelMap, pixelSummary) = maps.Embed(pixels, Path.Combine(Options.OutputDirectory, "tsne-pixels.csv"), cancellationToken);
            PhaseStarted?.Invoke("t-SNE of their latent codes");
            using var codes = maps.Latent(model);
            var (latentMap, latentSummary) = maps.Embed(codes, Path.Combine(Options.OutputDirectory, "tsne-latent.csv"), cancellationToken);
            (tsne["pixels"], tsne["latent"]) = (pixelSummary, latentSummary);
            new OfflinePage("t-SNE of MNIST: pixel space and latent space")
                .Add(TsneFigures.SideBySide(pixelMap, latentMap, maps.Labels), height: 560)
                .Save(Path.Combine(Options.OutputDirectory, "figures", "tsne.html"));
        }

        PhaseStarted?.Invoke($"Problem 4: training with the contrastive term for {Options.ContrastiveEpochs} epochs");
        using var contrastiveModel = new AutoEncoder().Initialise(Options.Seed, device); // the same start as Problem 2's
        var contrastiveHistory = Train(contrastiveModel, new ContrastiveObjective(), data, Options.ContrastiveEpochs, cancellationToken);
        SaveWeights(contrastiveModel, ContrastiveWeights, ContrastivePyTorchWeights);
        var contrastiveHealth = UnitHealth.Measure(contrastiveModel, data.TrainImages);
        double contrastive = LatentSpaceAccuracy(contrastiveModel, data);
        if (maps is not null)
        {
            PhaseStarted?.Invoke("t-SNE of the contrastive latent codes");
            using var codes = maps.Latent(contrastiveModel);
            var (map, summary) = maps.Embed(codes, Path.Combine(Options.OutputDirectory, "tsne-contrastive.csv"), cancellationToken);
            tsne["contrastive"] = summary;
            new OfflinePage("t-SNE of MNIST: latent space with contrastive learning")
                .Add(TsneFigures.Contrastive(map, maps.Labels), height: 600)
                .Save(Path.Combine(Options.OutputDirectory, "figures", "tsne-contrastive.html"));
        }

        var results = new RunResults
        {
            Parameters = model.ParameterCount,
            Epochs = Options.Epochs,
            ContrastiveEpochs = Options.ContrastiveEpochs,
            Seed = Options.Seed,
            Device = device.type.ToString().ToLowerInvariant(),
            Threads = TorchSharp.torch.get_num_threads(),
            BatchSize = Options.BatchSize,
            Accuracy = new Accuracies(original, latent, contrastive),
            UnitHealth = new Dictionary<string, UnitHealth> { ["reconstruction"] = health, ["contrastive"] = contrastiveHealth },
            SecondsPerEpoch = new EpochTimings(Median(history.EpochSeconds), Median(contrastiveHistory.EpochSeconds)),
            Losses = new LossCurves(history.Total, contrastiveHistory.Total)
            {
                ContrastiveParts = contrastiveHistory.Parts.ToDictionary(p => p.Key, p => (IReadOnlyList<float>)p.Value),
            },
            Tsne = maps is null ? null : tsne,
            DataChecksums = data.Checksums,
            Files = new Dictionary<string, string>
            {
                ["reconstructionWeights"] = ReconstructionWeights, ["contrastiveWeights"] = ContrastiveWeights,
                ["reconstructionPyTorch"] = ReconstructionPyTorchWeights, ["contrastivePyTorch"] = ContrastivePyTorchWeights,
            },
            Finished = DateTimeOffset.UtcNow,
        };
        results.Save(Options.OutputDirectory);
        PhaseStarted?.Invoke("Writing the report");
        Report = RunReport.Write(Options.OutputDirectory, data, Renderer);
        return results;
    }

    /// <summary>Refuses to start over an earlier run unless told to; records the settings for --resume.</summary>
    void PrepareOutputDirectory()
    {
        var settings = Path.Combine(Options.OutputDirectory, SettingsFile);
        if (Options.Resume) return;
        if (File.Exists(settings) && !Options.Overwrite)
            throw new AutoencoderLabException(
                $"{Options.OutputDirectory} holds an earlier run. Continue it with --resume {Options.OutputDirectory}, " +
                "start afresh over it with --overwrite, or choose another --out.");
        if (Options.Overwrite)
            foreach (var objective in new[] { "reconstruction", "contrastive" })
                if (File.Exists(CheckpointFile(Options.OutputDirectory, objective))) File.Delete(CheckpointFile(Options.OutputDirectory, objective));
        Directory.CreateDirectory(Options.OutputDirectory);
        AtomicFile.Write(settings, stream => System.Text.Json.JsonSerializer.Serialize(stream, Options, RunResults.JsonOptions));
    }

    /// <summary>Saves the weights twice: TorchSharp's format and a PyTorch state dict for the original notebook's class.</summary>
    void SaveWeights(AutoEncoder model, string name, string pyTorchName)
    {
        AtomicFile.WriteVia(Path.Combine(Options.OutputDirectory, name), path => model.save(path));
        AtomicFile.WriteVia(Path.Combine(Options.OutputDirectory, pyTorchName), path => PyTorchWeights.Save(model, path));
    }

    /// <summary>The median of <paramref name="values"/>, or null when there are none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
