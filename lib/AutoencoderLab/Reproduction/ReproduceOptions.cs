using AutoencoderLab.Runtime;

namespace AutoencoderLab.Reproduction;

/// <summary>Settings of a whole-assignment run; the defaults are the assignment's.</summary>
public sealed record ReproduceOptions
{
    /// <summary>Epochs of Problem 2 (assignment: 500).</summary>
    public int Epochs { get; init; } = 500;
    /// <summary>Epochs of Problem 4 (assignment: 500).</summary>
    public int ContrastiveEpochs { get; init; } = 500;
    /// <summary>Mini-batch size (assignment: 1024).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>Seed of everything random in the run.</summary>
    public long Seed { get; init; } = 3;
    /// <summary><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>libtorch threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }
    /// <summary>Data directory; null for the default (see <see cref="Data.MnistLocation.Resolve"/>).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Where results and weights go.</summary>
    public string OutputDirectory { get; init; } = ProjectPaths.ReproduceOutput;

    /// <summary>Compute the t-SNE maps of pixel, latent and contrastive-latent space.</summary>
    public bool Tsne { get; init; } = true;
    /// <summary>Embed every this-many-th training image (assignment: 3, i.e. 20,000 points).</summary>
    public int TsneEvery { get; init; } = 3;
    /// <summary>Embed at most this many of them (null: all); for quick runs.</summary>
    public int? TsnePoints { get; init; }
    /// <summary>Checkpoint every this many epochs (0: only at the end of each problem and when interrupted).</summary>
    public int CheckpointEvery { get; init; } = 10;
    /// <summary>Continue the run whose checkpoints are in <see cref="OutputDirectory"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Resume { get; init; }
    /// <summary>Start afresh even if <see cref="OutputDirectory"/> holds an earlier run (its files are replaced).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Overwrite { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no run can use.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be 0 or more.");
        if (ContrastiveEpochs < 0) throw new ArgumentOutOfRangeException(nameof(ContrastiveEpochs), ContrastiveEpochs, "Contrastive epochs must be 0 or more.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Checkpoint interval must be 0 or more epochs.");
        if (TsneEvery < 1) throw new ArgumentOutOfRangeException(nameof(TsneEvery), TsneEvery, "t-SNE sampling step must be at least 1.");
        if (TsnePoints is < 100) throw new ArgumentOutOfRangeException(nameof(TsnePoints), TsnePoints, "t-SNE needs at least 100 points (perplexity 30).");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 0 (libtorch's default) or positive.");
    }
}
