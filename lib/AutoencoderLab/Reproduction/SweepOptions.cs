using AutoencoderLab.Runtime;

namespace AutoencoderLab.Reproduction;

/// <summary>Settings of a seed sweep: the same training repeated for several seeds.</summary>
public sealed record SweepOptions
{
    /// <summary>The seeds to run, in order.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3, 4, 5];
    /// <summary>Epochs of each training (assignment: 500).</summary>
    public int Epochs { get; init; } = 500;
    /// <summary>Mini-batch size (assignment: 1024).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>Run Problem 2 (reconstruction) for every seed.</summary>
    public bool Reconstruction { get; init; } = true;
    /// <summary>Run Problem 4 (with the contrastive term) for every seed.</summary>
    public bool Contrastive { get; init; }
    /// <summary>Where sweep.json, sweep.html and one folder per seed go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine(ProjectPaths.Root, "artifacts", "sweep");
    /// <summary>Checkpoint every this many epochs (0: only at the end and when interrupted).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>A description of the machine (CPU, cores), recorded in sweep.json beside the timings.</summary>
    public string? Machine { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no sweep can use.</summary>
    public void Validate()
    {
        if (Seeds.Count == 0) throw new ArgumentOutOfRangeException(nameof(Seeds), "A sweep needs at least one seed.");
        if (Seeds.Any(s => s < 0)) throw new ArgumentOutOfRangeException(nameof(Seeds), "Seeds must be 0 or more.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "A sweep needs at least 1 epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Checkpoint interval must be 0 or more epochs.");
        if (!Reconstruction && !Contrastive) throw new ArgumentOutOfRangeException(nameof(Contrastive), "A sweep must run Problem 2, Problem 4 or both.");
    }
}
