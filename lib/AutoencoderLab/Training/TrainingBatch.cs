using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>One mini-batch as an objective sees it.</summary>
/// <param name="Images">Flattened images [B, 784] on the training device.</param>
/// <param name="Labels">Their digit labels, on the CPU (objectives branch on them without a device sync).</param>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Index">0-based batch index within the epoch.</param>
/// <param name="Seed">
/// Seed for the objective's own randomness in this step, derived from (run seed, objective, epoch, batch):
/// any step can be replayed on its own, which makes resuming mid-epoch exact.
/// </param>
public sealed record TrainingBatch(Tensor Images, long[] Labels, int Epoch, int Index, long Seed = 0);
