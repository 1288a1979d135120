namespace AutoencoderLab.Reproduction;

/// <summary>What the original notebook printed after 500 epochs (one run).</summary>
public sealed record SweepReference
{
    /// <summary>The last batch loss of Problem 2.</summary>
    public double LastBatchLoss { get; init; } = ReferenceResults.FinalReconstructionLoss;
    /// <summary>Latent accuracy after Problem 2, %.</summary>
    public double LatentAccuracy { get; init; } = ReferenceResults.LatentAccuracy;
    /// <summary>Latent accuracy after Problem 4, %.</summary>
    public double ContrastiveAccuracy { get; init; } = ReferenceResults.ContrastiveAccuracy;
}
