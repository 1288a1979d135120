namespace AutoencoderLab.Training;

/// <summary>The assignment's training settings: the one home of each default that options, notebooks and the CLI share.</summary>
public static class TrainingDefaults
{
    /// <summary>Passes over the training set.</summary>
    public const int Epochs = 500;
    /// <summary>Images per mini-batch (59 batches an epoch, the last one short).</summary>
    public const int BatchSize = 1024;
    /// <summary>Adam's learning rate.</summary>
    public const double LearningRate = 1e-3;
    /// <summary>Adam's weight decay.</summary>
    public const double WeightDecay = 1e-8;
    /// <summary>The seed of a run when none is given (the assignment's t-SNE used random_state 3).</summary>
    public const long Seed = 3;
    /// <summary>Epochs between checkpoints of a run (0 would mean only at the end and when interrupted).</summary>
    public const int CheckpointEvery = 10;
}
