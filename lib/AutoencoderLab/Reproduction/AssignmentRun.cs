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
    /// <summary>
    /// A run that continues the one in <paramref name="directory"/>: its settings come from the directory's run.json;
    /// <paramref name="adjust"/> may change where it runs (device, threads, data) but should not change what it computes.
    /// </summary>
    public static AssignmentRun Resume(string directory, Func<ReproduceOptions, ReproduceOptions>? adjust = null)
    {
        var saved = new RunDirectory(directory).ReadSettings();
        return new AssignmentRun(adjust is null ? saved : adjust(saved) with { OutputDirectory = saved.OutputDirectory, Resume = true });
    }

    /// <summary>The run's settings.</summary>
    public ReproduceOptions Options { get; } = options;

    /// <summary>Where the run writes (<see cref="ReproduceOptions.OutputDirectory"/>).</summary>
    public RunDirectory Directory { get; } = new(options.OutputDirectory);

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

    /// <summary>
    /// Trains <paramref name="model"/> with <paramref name="objective"/> on the training set, checkpointing into the
    /// output directory, and continuing from the checkpoint there when the run is a resumed one.
    /// </summary>
    public TrainingHistory Train(AutoEncoder model, ITrainingObjective objective, MnistDataset data, int epochs, CancellationToken cancellationToken = default)
    {
        var checkpoint = Directory.Checkpoint(objective.Name);
        using var trainer = new Trainer(model, objective, data.TrainImages, data.TrainLabels, Options.Training(epochs), checkpoint);
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
        if (!Options.Resume) Directory.Start(Options);

        PhaseStarted?.Invoke("Loading MNIST");
        var data = MnistDataset.Load(MnistLocation.Resolve(Options.DataDirectory), device);

        PhaseStarted?.Invoke($"Problem 2: training the autoencoder for {Options.Epochs} epochs on {device.type.ToString().ToLowerInvariant()}");
        using var model = AutoEncoder.Seeded(Options.Seed, device);
        var history = Train(model, new ReconstructionObjective(), data, Options.Epochs, cancellationToken);
        SaveWeights(model, RunDirectory.ReconstructionWeights, RunDirectory.ReconstructionPyTorchWeights);
        var health = UnitHealth.Measure(model, data.TrainImages);

        PhaseStarted?.Invoke("Problem 3: nearest-centroid accuracy in pixel and latent space");
        double original = CentroidAccuracy.InPixelSpace(data);
        double latent = CentroidAccuracy.InLatentSpace(model, data);

        var maps = Options.Tsne ? new LatentMaps(data, Options.TsneEvery, Options.TsnePoints, TsneProgress) : null;
        var tsne = new Dictionary<string, TsneSummary>();
        if (maps is not null)
        {
            PhaseStarted?.Invoke($"t-SNE of {maps.Positions.Length:N0} training images in pixel space");
            using var pixels = maps.Pixels();
            var (pixelMap, pixelSummary) = maps.Embed(pixels, Directory.TsneMap("pixels"), cancellationToken);
            PhaseStarted?.Invoke("t-SNE of their latent codes");
            using var codes = maps.Latent(model);
            var (latentMap, latentSummary) = maps.Embed(codes, Directory.TsneMap("latent"), cancellationToken);
            (tsne["pixels"], tsne["latent"]) = (pixelSummary, latentSummary);
            new OfflinePage("t-SNE of MNIST: pixel space and latent space")
                .Add(TsneFigures.SideBySide(pixelMap, latentMap, maps.Labels), height: 560)
                .Save(Directory.FigurePage("tsne"));
        }

        PhaseStarted?.Invoke($"Problem 4: training with the contrastive term for {Options.ContrastiveEpochs} epochs");
        using var contrastiveModel = AutoEncoder.Seeded(Options.Seed, device); // the same start as Problem 2's
        var contrastiveHistory = Train(contrastiveModel, new ContrastiveObjective(), data, Options.ContrastiveEpochs, cancellationToken);
        SaveWeights(contrastiveModel, RunDirectory.ContrastiveWeights, RunDirectory.ContrastivePyTorchWeights);
        var contrastiveHealth = UnitHealth.Measure(contrastiveModel, data.TrainImages);
        double contrastive = CentroidAccuracy.InLatentSpace(contrastiveModel, data);
        if (maps is not null)
        {
            PhaseStarted?.Invoke("t-SNE of the contrastive latent codes");
            using var codes = maps.Latent(contrastiveModel);
            var (map, summary) = maps.Embed(codes, Directory.TsneMap("contrastive"), cancellationToken);
            tsne["contrastive"] = summary;
            new OfflinePage("t-SNE of MNIST: latent space with contrastive learning")
                .Add(TsneFigures.Contrastive(map, maps.Labels), height: 600)
                .Save(Directory.FigurePage(TsneFigures.ContrastiveId));
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
            SecondsPerEpoch = new EpochTimings(Statistics.Median(history.EpochSeconds), Statistics.Median(contrastiveHistory.EpochSeconds)),
            Losses = new LossCurves(history.Total, contrastiveHistory.Total)
            {
                ContrastiveParts = contrastiveHistory.Parts.ToDictionary(p => p.Key, p => (IReadOnlyList<float>)p.Value),
            },
            Tsne = maps is null ? null : tsne,
            DataChecksums = data.Checksums,
            Files = new Dictionary<string, string>
            {
                ["reconstructionWeights"] = RunDirectory.ReconstructionWeights, ["contrastiveWeights"] = RunDirectory.ContrastiveWeights,
                ["reconstructionPyTorch"] = RunDirectory.ReconstructionPyTorchWeights, ["contrastivePyTorch"] = RunDirectory.ContrastivePyTorchWeights,
            },
            Finished = DateTimeOffset.UtcNow,
        };
        results.Save(Options.OutputDirectory);
        PhaseStarted?.Invoke("Writing the report");
        Report = RunReport.Write(Options.OutputDirectory, data, Renderer);
        return results;
    }

    /// <summary>Saves the weights twice: TorchSharp's format and a PyTorch state dict for the original notebook's class.</summary>
    void SaveWeights(AutoEncoder model, string name, string pyTorchName)
    {
        AtomicFile.WriteVia(Directory.PathOf(name), path => model.save(path));
        AtomicFile.WriteVia(Directory.PathOf(pyTorchName), path => PyTorchWeights.Save(model, path));
    }
}
