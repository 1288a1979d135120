namespace AutoencoderLab.Training;

/// <summary>Training was cancelled; the state after the last finished step is in <see cref="CheckpointPath"/>.</summary>
public sealed class TrainingInterruptedException(string objective, int epoch, int batch, string checkpointPath, CancellationToken token)
    : OperationCanceledException($"The {objective} training stopped after epoch {epoch}, batch {batch}; its state is saved in {checkpointPath}.", null, token)
{
    /// <summary>Name of the objective that was being trained.</summary>
    public string Objective { get; } = objective;
    /// <summary>Where the state was saved.</summary>
    public string CheckpointPath { get; } = checkpointPath;
    /// <summary>Whole epochs completed.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>Batches completed in the epoch after those.</summary>
    public int Batch { get; } = batch;
}
