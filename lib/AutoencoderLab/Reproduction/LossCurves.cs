namespace AutoencoderLab.Reproduction;

/// <summary>Per-batch losses of each training (total loss of each step).</summary>
public sealed record LossCurves(IReadOnlyList<float> Reconstruction, IReadOnlyList<float> Contrastive)
{
    /// <summary>Per-batch parts of the contrastive run (reconstruction and contrastive terms).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<float>>? ContrastiveParts { get; init; }
}
