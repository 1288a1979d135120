using AutoencoderLab.Runtime;
using AutoencoderLab.Training;

namespace AutoencoderLab.Reproduction;

/// <summary>Settings of a whole-assignment run; the defaults are the assignment's.</summary>
public sealed record ReproduceOptions
{
    /// <summary>Epochs of Problem 2 (assignment: 500).</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Epochs of Problem 4 (assignment: 500).</summary>
    public int ContrastiveEpochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Mini-batch size (assignment: 1024).</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Seed of everything random in the run.</summary>
    public long Seed { get; init; } = TrainingDefaults.Seed;
    /// <summary><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = DeviceChoice.Auto;
    /// <summary>libtorch threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }
    /// <summary>Data directory; null for the default (see <see cref="Data.MnistLocation.Resolve"/>).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Where results and weights go.</summary>
    public string OutputDirectory { get; init; } = ProjectPaths.ReproduceOutput;

    /// <summary>Compute the t-SNE maps of pixel, latent and contrastive-latent space.</summary>
    public bool Tsne { get; init; } = true;
    /// <summary>Embed every this-many-th training image (assignment: 3, i.e. 20,000 points).</summary>
    public int TsneEvery { get; init; } = LatentMaps.DefaultEvery;
    /// <summary>Embed at most this many of them (null: all); for quick runs.</summary>
    public int? TsnePoints { get; init; }
    /// <summary>Checkpoint every this many epochs (0: only at the end of each problem and when interrupted).</summary>
    public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;
    /// <summary>Continue the run whose checkpoints are in <see cref="OutputDirectory"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Resume { get; init; }
    /// <summary>Start afresh even if <see cref="OutputDirectory"/> holds an earlier run (its files are replaced).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Overwrite { get; init; }

    /// <summary>The settings of one of the run's two trainings, for <paramref name="epochs"/> epochs.</summary>
    public TrainingOptions Training(int epochs) =>
        new() { Epochs = epochs, BatchSize = BatchSize, Seed = Seed, CheckpointEvery = CheckpointEvery };

    /// <summary>Throws <see cref="InvalidSettingsException"/> for values no run can use.</summary>
    public void Validate()
    {
        Training(Epochs).Validate();
        InvalidSettingsException.ThrowIfBelow(nameof(ContrastiveEpochs), ContrastiveEpochs, 0);
        InvalidSettingsException.ThrowIfBelow(nameof(TsneEvery), TsneEvery, 1);
        // Fewer points than three times t-SNE's perplexity (30) leave a point too few neighbours.
        if (TsnePoints is { } points) InvalidSettingsException.ThrowIfBelow(nameof(TsnePoints), points, 100);
        TorchSetup.ValidateThreads(Threads);
        DeviceChoice.Validate(Device);
    }
}
