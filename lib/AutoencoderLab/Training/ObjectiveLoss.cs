using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>A step's loss: the scalar to minimise and its named parts (e.g. reconstruction, contrastive).</summary>
/// <param name="Total">The scalar loss that is back-propagated.</param>
/// <param name="Parts">Named scalar parts, recorded per step; they add up to <paramref name="Total"/>.</param>
public sealed record ObjectiveLoss(Tensor Total, IReadOnlyList<(string Name, Tensor Value)> Parts);
