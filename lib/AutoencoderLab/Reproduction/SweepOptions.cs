using AutoencoderLab.Runtime;
using AutoencoderLab.Training;

namespace AutoencoderLab.Reproduction;

/// <summary>Settings of a seed sweep: the same training repeated for several seeds.</summary>
public sealed record SweepOptions
{
    /// <summary>The seeds to run, in order.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3, 4, 5];
    /// <summary>Epochs of each training (assignment: 500).</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Mini-batch size (assignment: 1024).</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Run Problem 2 (reconstruction) for every seed.</summary>
    public bool Reconstruction { get; init; } = true;
    /// <summary>Run Problem 4 (with the contrastive term) for every seed.</summary>
    public bool Contrastive { get; init; }
    /// <summary>Where sweep.json, sweep.html and one folder per seed go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine(ProjectPaths.Root, "artifacts", "sweep");
    /// <summary>Checkpoint every this many epochs (0: only at the end and when interrupted).</summary>
    public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;

    /// <summary>A description of the machine (CPU, cores), recorded in sweep.json beside the timings.</summary>
    public string? Machine { get; init; }

    /// <summary>The settings of the training of <paramref name="seed"/>.</summary>
    public TrainingOptions Training(long seed) =>
        new() { Epochs = Epochs, BatchSize = BatchSize, Seed = seed, CheckpointEvery = CheckpointEvery };

    /// <summary>Throws <see cref="InvalidSettingsException"/> for values no sweep can use.</summary>
    public void Validate()
    {
        if (Seeds.Count == 0) throw new InvalidSettingsException("A sweep needs at least one seed.");
        foreach (var seed in Seeds) InvalidSettingsException.ThrowIfBelow("Seed", seed, 0);
        // A sweep compares where trainings end: each needs at least one epoch.
        InvalidSettingsException.ThrowIfBelow(nameof(Epochs), Epochs, 1);
        Training(Seeds[0]).Validate();
        if (!Reconstruction && !Contrastive) throw new InvalidSettingsException("A sweep must run Problem 2, Problem 4 or both.");
    }
}
