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
        for (long start = 0; start < n; start += blockSize)
        {
            using var blockScope = NewDisposeScope();
            long size = Math.Min(blockSize, n - start);
            var block = x.narrow(0, start, size);
            // |a|^2 - 2 a.b + |b|^2, in place on the product: temporaries of [block, N] cost more in page faults than the adds.
            var d2 = block.matmul(x.t()).mul_(-2).add_(norms.narrow(0, start, size).unsqueeze(1)).add_(norms.unsqueeze(0));
            var rows = arange(size, ScalarType.Int64);
            d2.index_put_(tensor(double.PositiveInfinity, d2.dtype), [TensorIndex.Tensor(rows), TensorIndex.Tensor(rows + start)]); // not one's own neighbour
            var (values, found) = d2.topk(k, dim: 1, largest: false, sorted: true);
            values.clamp_min_(0).to_type(ScalarType.Float32).data<float>().CopyTo(distances.AsSpan((int)(start * k), (int)(size * k)));
            var foundIndices = found.data<long>();
            for (int i = 0; i < size * k; i++) indices[start * k + i] = (int)foundIndices[i];
        }
        return (indices, distances);
    }
}
