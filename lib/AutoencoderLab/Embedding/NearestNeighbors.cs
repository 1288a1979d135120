using static TorchSharp.torch;

namespace AutoencoderLab.Embedding;

/// <summary>Exact k-nearest neighbours by blocked distance matrices (matrix products through libtorch).</summary>
public static class NearestNeighbors
{
    /// <summary>
    /// For each row of <paramref name="points"/> [N, D], the indices of its <paramref name="k"/> nearest other rows and
    /// the squared Euclidean distances to them, nearest first, row-major [N, k].
    /// </summary>
    public static (int[] Indices, float[] SquaredDistances) Find(Tensor points, int k, int blockSize = 2048)
    {
        long n = points.shape[0];
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {n - 1}.");
        var indices = new int[n * k];
        var distances = new float[n * k];
        using var scope = NewDisposeScope();
        // float64 input (e.g. 2-D embeddings with large coordinates) keeps its precision; anything else runs in float32.
        var x = (points.dtype == ScalarType.Float64 ? points : points.to_type(ScalarType.Float32)).cpu();
        var norms = (x * x).sum(1);
        var columnNorms = norms.unsqueeze(0);
        for (long start = 0; start < n; start += blockSize)
        {
            using var blockScope = NewDisposeScope();
            long size = Math.Min(blockSize, n - start);
            var block = x.narrow(0, start, size);
            // Row i's order depends only on |b|^2 - 2 a.b: one BLAS call writes it, and |a|^2 is added to the k
            // survivors alone. Every extra pass over a [block, N] matrix costs more than the product itself.
            var scores = addmm(columnNorms, block, x.t(), beta: 1, alpha: -2);
            var rows = arange(size, ScalarType.Int64);
            scores.index_put_(tensor(double.PositiveInfinity, scores.dtype), [TensorIndex.Tensor(rows), TensorIndex.Tensor(rows + start)]); // not one's own neighbour
            var (values, found) = scores.topk(k, dim: 1, largest: false, sorted: true);
            values.add_(norms.narrow(0, start, size).unsqueeze(1)).clamp_min_(0).to_type(ScalarType.Float32).data<float>()
                .CopyTo(distances.AsSpan((int)(start * k), (int)(size * k)));
            var foundIndices = found.data<long>();
            for (int i = 0; i < size * k; i++) indices[start * k + i] = (int)foundIndices[i];
        }
        return (indices, distances);
    }
}
