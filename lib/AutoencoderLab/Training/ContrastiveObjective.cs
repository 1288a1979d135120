using AutoencoderLab.Data;
using AutoencoderLab.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace AutoencoderLab.Training;

/// <summary>
/// Problem 4: reconstruction plus the contrastive term. In every step two different classes
/// a1, a2 are drawn at random; if the batch holds both, the latent codes of the a1 samples are
/// pushed away from those of the a2 samples, row by row after <see cref="TrimAndPair"/>. Otherwise the term is 0.
/// </summary>
public sealed class ContrastiveObjective(double temperature = ContrastiveLoss.DefaultTemperature, int classes = MnistDataset.Classes) : ITrainingObjective
{
    /// <summary>The contrastive loss of (z, zneg, tau); the library's <see cref="ContrastiveLoss.Compute"/> unless replaced.</summary>
    public Func<Tensor, Tensor, double, Tensor> LossFunction { get; init; } = ContrastiveLoss.Compute;

    /// <summary>Name of the reconstruction part.</summary>
    public const string ReconstructionPart = "reconstruction";
    /// <summary>Name of the contrastive part.</summary>
    public const string ContrastivePart = "contrastive";

    /// <inheritdoc />
    public string Name => "contrastive";

    /// <inheritdoc />
    public IReadOnlyList<string> PartNames { get; } = [ReconstructionPart, ContrastivePart];

    /// <summary>
    /// Problem 4's trim-and-pair rule: trims both classes to the shorter one, keeping the first n samples of each (n the
    /// smaller count), and pairs them row by row, since row-wise similarity needs equal lengths (the original trimmed
    /// after the loss, which fails whenever the counts differ). Returns the positions in <paramref name="labels"/> of
    /// those samples of class <paramref name="a1"/> and of <paramref name="a2"/>; both empty when either class is absent.
    /// </summary>
    public static (long[] Anchors, long[] Negatives) TrimAndPair(long[] labels, int a1, int a2)
    {
        var first = new List<long>();
        var second = new List<long>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == a1) first.Add(i);
            else if (labels[i] == a2) second.Add(i);
        }
        int n = Math.Min(first.Count, second.Count);
        return (first.Take(n).ToArray(), second.Take(n).ToArray());
    }

    /// <inheritdoc />
    public ObjectiveLoss Loss(AutoEncoder model, TrainingBatch batch)
    {
        var latent = model.Encode(batch.Images);
        var reconstruction = mse_loss(model.Decode(latent), batch.Images);
        var (a1, a2) = ClassPairs.OfStep(batch.Seed, classes);
        var (anchors, negatives) = TrimAndPair(batch.Labels, a1, a2);
        var contrastive = anchors.Length == 0
            ? zeros([], reconstruction.dtype, reconstruction.device)
            : LossFunction(
                latent.index_select(0, tensor(anchors, device: latent.device)),
                latent.index_select(0, tensor(negatives, device: latent.device)),
                temperature);
        return new ObjectiveLoss(reconstruction + contrastive, [(ReconstructionPart, reconstruction), (ContrastivePart, contrastive)]);
    }
}
