namespace AutoencoderLab.Reproduction;

/// <summary>What the original notebook printed (one run, 500 epochs on a GPU), to put a run's results next to.</summary>
public static class ReferenceResults
{
    /// <summary>Nearest-centroid accuracy on raw pixels, %; depends only on the data, so ours must equal it.</summary>
    public const double OriginalAccuracy = 82.03;
    /// <summary>Nearest-centroid accuracy in the latent space after Problem 2 (500 epochs), %.</summary>
    public const double LatentAccuracy = 87.89;
    /// <summary>Nearest-centroid accuracy in the latent space after Problem 4 (500 epochs), %.</summary>
    public const double ContrastiveAccuracy = 91.82;
    /// <summary>The last reconstruction loss after 500 epochs of Problem 2.</summary>
    public const double FinalReconstructionLoss = 1.244849e-02;
}
