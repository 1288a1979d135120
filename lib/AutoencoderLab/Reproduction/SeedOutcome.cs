using AutoencoderLab.Models;

namespace AutoencoderLab.Reproduction;

/// <summary>What one seed's training ended at, in a sweep.</summary>
/// <param name="Seed">The seed (<c>torch.manual_seed</c> of the original notebook).</param>
/// <param name="Problem">2 (reconstruction) or 4 (with the contrastive term).</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="LastEpochMeanLoss">Mean total loss over the last epoch's batches.</param>
/// <param name="LastBatchLoss">The very last batch's loss (what the original's progress bar showed).</param>
/// <param name="LatentAccuracy">Nearest-centroid test accuracy in the latent space, %.</param>
/// <param name="AliveBottleneckUnits">Bottleneck units that fire for at least one training image.</param>
/// <param name="Health">Alive units of every ReLU layer, on the training images.</param>
/// <param name="Seconds">Wall-clock seconds of the training (summed over resumptions).</param>
/// <param name="EpochMeanLosses">Mean total loss of every epoch, for the figure.</param>
public sealed record SeedOutcome(
    long Seed, int Problem, int Epochs, double LastEpochMeanLoss, double LastBatchLoss, double LatentAccuracy,
    int AliveBottleneckUnits, UnitHealth Health, double Seconds, IReadOnlyList<double> EpochMeanLosses);
