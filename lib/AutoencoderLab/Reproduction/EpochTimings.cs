namespace AutoencoderLab.Reproduction;

/// <summary>Median seconds per epoch of each training.</summary>
public sealed record EpochTimings(double? Reconstruction, double? Contrastive);
