namespace AutoencoderLab.Reproduction;

/// <summary>Nearest-centroid test accuracies in percent.</summary>
/// <param name="Original">On raw pixels.</param>
/// <param name="Latent">In the latent space of the Problem 2 model.</param>
/// <param name="Contrastive">In the latent space of the Problem 4 model.</param>
public sealed record Accuracies(double Original, double? Latent, double? Contrastive);
