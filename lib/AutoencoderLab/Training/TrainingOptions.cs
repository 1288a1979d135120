namespace AutoencoderLab.Training;

/// <summary>Hyper-parameters of one training run; the defaults are the assignment's.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set (assignment: 500).</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Images per mini-batch (assignment: 1024; the last batch of an epoch is short).</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Adam learning rate (assignment: 1e-3).</summary>
    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;
    /// <summary>Adam weight decay (assignment: 1e-8).</summary>
    public double WeightDecay { get; init; } = TrainingDefaults.WeightDecay;
    /// <summary>Seed of the shuffles and of the objective's own randomness.</summary>
    public long Seed { get; init; } = TrainingDefaults.Seed;

    /// <summary>Write a checkpoint every this many epochs (0: only at the end and when interrupted).</summary>
    public int CheckpointEvery { get; init; } = TrainingDefaults.CheckpointEvery;

    /// <summary>Throws <see cref="InvalidSettingsException"/> for values no run can use.</summary>
    public void Validate()
    {
        InvalidSettingsException.ThrowIfBelow(nameof(Epochs), Epochs, 0);
        InvalidSettingsException.ThrowIfBelow(nameof(BatchSize), BatchSize, 1);
        InvalidSettingsException.ThrowIfBelow(nameof(CheckpointEvery), CheckpointEvery, 0);
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new InvalidSettingsException(nameof(LearningRate), LearningRate, "must be a positive number");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new InvalidSettingsException(nameof(WeightDecay), WeightDecay, "must be 0 or a positive number");
    }
}
