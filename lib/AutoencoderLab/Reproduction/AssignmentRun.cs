using AutoencoderLab.Classification;
using AutoencoderLab.Data;
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

    /// <summary>The run's settings.</summary>
    public ReproduceOptions Options { get; } = options;

    /// <summary>Raised when a phase begins, with a one-line description.</summary>
    public event Action<string>? PhaseStarted;

    /// <summary>Receives training progress of Problems 2 and 4 (synchronously, on the training thread).</summary>
    public IProgress<TrainingProgress>? TrainingProgress { get; set; }

    /// <summary>A fresh <see cref="AutoEncoder"/> on <paramref name="device"/>, initialised from (seed, problem) alone.</summary>
    public static AutoEncoder NewModel(long seed, int problem, Device device)
    {
        TorchSetup.Seed(TorchSetup.Derive(seed, "model", problem));
        var model = new AutoEncoder();
        model.to(device);
        return model;
    }

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

    /// <summary>Trains <paramref name="model"/> with <paramref name="objective"/> on the training set.</summary>
    public TrainingHistory Train(AutoEncoder model, ITrainingObjective objective, MnistDataset data, int epochs, CancellationToken cancellationToken = default)
    {
        using var trainer = new Trainer(model, objective, data.TrainImages, data.TrainLabels,
            new TrainingOptions { Epochs = epochs, BatchSize = Options.BatchSize, Seed = Options.Seed });
        return trainer.Run(TrainingProgress, cancellationToken);
    }

    /// <summary>Runs every phase and writes results.json and the two models' weights into the output directory.</summary>
    public RunResults Run(CancellationToken cancellationToken = default)
    {
        Options.Validate();
        TorchSetup.SetThreads(Options.Threads);
        var device = DeviceChoice.Resolve(Options.Device);
        Directory.CreateDirectory(Options.OutputDirectory);

        PhaseStarted?.Invoke("Loading MNIST");
        var data = MnistDataset.Load(MnistLocation.Resolve(Options.DataDirectory), device);

        PhaseStarted?.Invoke($"Problem 2: training the autoencoder for {Options.Epochs} epochs on {device.type.ToString().ToLowerInvariant()}");
        using var model = NewModel(Options.Seed, 2, device);
        var history = Train(model, new ReconstructionObjective(), data, Options.Epochs, cancellationToken);
        SaveWeights(model, ReconstructionWeights);

        PhaseStarted?.Invoke("Problem 3: nearest-centroid accuracy in pixel and latent space");
        double original = OriginalSpaceAccuracy(data);
        double latent = LatentSpaceAccuracy(model, data);

        PhaseStarted?.Invoke($"Problem 4: training with the contrastive term for {Options.ContrastiveEpochs} epochs");
        using var contrastiveModel = NewModel(Options.Seed, 4, device);
        var contrastiveHistory = Train(contrastiveModel, new ContrastiveObjective(), data, Options.ContrastiveEpochs, cancellationToken);
        SaveWeights(contrastiveModel, ContrastiveWeights);
        double contrastive = LatentSpaceAccuracy(contrastiveModel, data);

        var results = new RunResults
        {
            Parameters = model.ParameterCount,
            Epochs = Options.Epochs,
            ContrastiveEpochs = Options.ContrastiveEpochs,
            Seed = Options.Seed,
            Device = device.type.ToString().ToLowerInvariant(),
            Threads = TorchSharp.torch.get_num_threads(),
            BatchSize = Options.BatchSize,
            Accuracy = new AccuracyFigures(original, latent, contrastive),
            SecondsPerEpoch = new EpochTimings(Median(history.EpochSeconds), Median(contrastiveHistory.EpochSeconds)),
            Losses = new LossCurves(history.Total, contrastiveHistory.Total)
            {
                ContrastiveParts = contrastiveHistory.Parts.ToDictionary(p => p.Key, p => (IReadOnlyList<float>)p.Value),
            },
            DataChecksums = data.Checksums,
            Files = new Dictionary<string, string> { ["reconstructionWeights"] = ReconstructionWeights, ["contrastiveWeights"] = ContrastiveWeights },
            Finished = DateTimeOffset.UtcNow,
        };
        results.Save(Options.OutputDirectory);
        return results;
    }

    void SaveWeights(AutoEncoder model, string name) =>
        AtomicFile.WriteVia(Path.Combine(Options.OutputDirectory, name), path => model.save(path));

    /// <summary>The median of <paramref name="values"/>, or null when there are none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
