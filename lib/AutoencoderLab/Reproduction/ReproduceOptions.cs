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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no run can use.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be 0 or more.");
        if (ContrastiveEpochs < 0) throw new ArgumentOutOfRangeException(nameof(ContrastiveEpochs), ContrastiveEpochs, "Contrastive epochs must be 0 or more.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 0 (libtorch's default) or positive.");
    }
}
