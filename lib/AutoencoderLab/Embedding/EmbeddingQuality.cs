using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace AutoencoderLab.Embedding;

/// <summary>How well a 2-D embedding keeps the structure of its input.</summary>
public static class EmbeddingQuality
{
    /// <summary>
    /// k-NN preservation: for each point, the share of its <paramref name="k"/> nearest input-space neighbours
    /// that are among its <paramref name="k"/> nearest in the embedding, averaged over points (1 is perfect).
    /// </summary>
    public static double NeighborPreservation(TsneEmbedding embedding, int k = 10)
    {
        if (k > embedding.K) throw new ArgumentOutOfRangeException(nameof(k), k, $"the embedding kept only {embedding.K} input neighbours");
        var embedded = MapNeighbors(embedding, k);
        long kept = 0;
        for (int i = 0; i < embedding.Count; i++)
        {
            var input = new HashSet<int>(embedding.Neighbors.AsSpan(i * embedding.K, k).ToArray());
            for (int e = 0; e < k; e++) if (input.Contains(embedded[i * k + e])) kept++;
        }
        return (double)kept / ((long)embedding.Count * k);
    }

    /// <summary>
    /// Leave-one-out k-NN classification accuracy in the embedding (majority of the <paramref name="k"/> nearest
    /// other points' labels, ties to the smallest label), as a share in [0, 1].
    /// </summary>
    public static double NeighborLabelAccuracy(TsneEmbedding embedding, IReadOnlyList<long> labels, int k = 10)
    {
        if (labels.Count != embedding.Count) throw new ArgumentException($"{labels.Count} labels for {embedding.Count} points", nameof(labels));
        var embedded = MapNeighbors(embedding, k);
        int classes = (int)labels.Max() + 1, correct = 0;
        var votes = new int[classes];
        for (int i = 0; i < embedding.Count; i++)
        {
            Array.Clear(votes);
            for (int e = 0; e < k; e++) votes[labels[embedded[i * k + e]]]++;
            int best = 0;
            for (int c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return (double)correct / embedding.Count;
    }

    /// <summary>
    /// Each point's <paramref name="k"/> nearest other points in the map ([N, k], nearest first), searched once per
    /// embedding (by reference) and k: both measures need them, and at 20,000 points the search is most of their cost.
    /// An embedding's coordinates are not to change after it is measured.
    /// </summary>
    internal static int[] MapNeighbors(TsneEmbedding embedding, int k)
    {
        var byK = mapNeighbors.GetValue(embedding, _ => []);
        lock (byK)
        {
            if (!byK.TryGetValue(k, out var found))
            {
                using var points = tensor(embedding.Coordinates, [embedding.Count, 2]);
                byK[k] = found = NearestNeighbors.Find(points, k).Indices;
            }
            return found;
        }
    }

    static readonly ConditionalWeakTable<TsneEmbedding, Dictionary<int, int[]>> mapNeighbors = [];
}
