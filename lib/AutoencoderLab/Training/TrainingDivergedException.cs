namespace AutoencoderLab.Training;

/// <summary>The loss became NaN or infinite; training stopped before the step that would have spread it into the weights.</summary>
public sealed class TrainingDivergedException(string objective, int epoch, int batch, float loss)
    : AutoencoderLabException(
        $"The {objective} loss became {loss} at epoch {epoch}, batch {batch}; training stopped before applying that step. " +
        "Try a lower learning rate or another seed; the weights of earlier epochs are unaffected.")
{
    /// <summary>1-based epoch of the bad step.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>1-based batch of the bad step.</summary>
    public int Batch { get; } = batch;
}
