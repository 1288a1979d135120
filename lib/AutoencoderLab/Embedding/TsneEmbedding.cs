namespace AutoencoderLab.Embedding;

/// <summary>A finished 2-D embedding and what it cost.</summary>
/// <param name="Coordinates">[x0, y0, x1, y1, ...], one pair per input row.</param>
/// <param name="Kl">Final KL divergence between input and embedding affinities.</param>
/// <param name="PhaseSeconds">Seconds spent in <c>neighbors</c>, <c>affinities</c> and <c>optimization</c>.</param>
/// <param name="Neighbors">The input-space nearest neighbours found ([N, k], nearest first), for quality measures.</param>
/// <param name="K">Neighbours per point in <paramref name="Neighbors"/>.</param>
public sealed record TsneEmbedding(double[] Coordinates, double Kl, IReadOnlyDictionary<string, double> PhaseSeconds, int[] Neighbors, int K)
{
    /// <summary>Number of embedded points.</summary>
    public int Count => Coordinates.Length / 2;

    /// <summary>Total seconds.</summary>
    public double Seconds => PhaseSeconds.Values.Sum();

    /// <summary>The position of point <paramref name="i"/>.</summary>
    public (double X, double Y) this[int i] => (Coordinates[2 * i], Coordinates[2 * i + 1]);
}
