using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace AutoencoderLab.Training;

/// <summary>
/// Problem 4: the negative-only contrastive loss, a simplification of NT-Xent:
/// L = mean_i log(1 + exp(sim(z_i, zneg_i) / tau)), with sim the cosine similarity.
/// It pushes the latent codes of two different digits apart in angle.
/// </summary>
public static class ContrastiveLoss
{
    /// <summary>The assignment's temperature.</summary>
    public const double DefaultTemperature = 0.5;

    /// <summary>
    /// The loss of row-wise pairs (z[i], zneg[i]). Both must be [n, D] with the same n &gt; 0:
    /// trim the longer one first (<see cref="ContrastiveObjective.TrimAndPair"/>).
    /// </summary>
    public static Tensor Compute(Tensor z, Tensor zneg, double temperature = DefaultTemperature)
    {
        if (z.dim() != 2 || zneg.dim() != 2 || z.shape[0] != zneg.shape[0] || z.shape[1] != zneg.shape[1])
            throw new ArgumentException(
                $"z and zneg must both be [n, D] with the same n and D, got [{string.Join(", ", z.shape)}] and [{string.Join(", ", zneg.shape)}]; trim both to the shorter length first.");
        if (z.shape[0] == 0) throw new ArgumentException("z and zneg are empty; there is no pair to contrast.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature must be positive.");
        using var scope = NewDisposeScope();
        var similarity = (normalize(z, p: 2, dim: 1) * normalize(zneg, p: 2, dim: 1)).sum(1);
        // softplus(x) = log(1 + exp(x)), computed without overflow.
        return softplus(similarity / temperature).mean().MoveToOuterDisposeScope();
    }
}
