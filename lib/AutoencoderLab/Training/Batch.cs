using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>One mini-batch as a training loop written in a notebook sees it.</summary>
/// <param name="Images">Flattened images [B, 784] on the training device.</param>
/// <param name="Labels">Their digits [B] (int64), on the same device.</param>
public sealed record Batch(Tensor Images, Tensor Labels);
