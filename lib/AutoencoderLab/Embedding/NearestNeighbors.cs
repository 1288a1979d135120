using System.Numerics;
using static TorchSharp.torch;

namespace AutoencoderLab.Embedding;

/// <summary>
/// Exact k-nearest neighbours by blocked distance matrices: the products through libtorch's BLAS, the selection of each
/// row's k smallest in C# (a bounded heap behind a SIMD threshold test, far cheaper than a general top-k).
/// </summary>
public static class NearestNeighbors
{
    /// <summary>
    /// For each row of <paramref name="points"/> [N, D], the indices of its <paramref name="k"/> nearest other rows and
    /// the squared Euclidean distances to them, nearest first (ties: lower index first), row-major [N, k].
    /// </summary>
    public static (int[] Indices, float[] SquaredDistances) Find(Tensor points, int k, int blockSize = 1024)
    {
        long n = points.shape[0];
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {n - 1}.");
        var indices = new int[n * k];
        var distances = new float[n * k];
        using var scope = NewDisposeScope();
        // float64 input (e.g. 2-D embeddings with large coordinates) keeps its precision; anything else runs in float32.
        var x = (points.dtype == ScalarType.Float64 ? points : points.to_type(ScalarType.Float32)).cpu().contiguous();
        var norms = (x * x).sum(1);
        // A row's squared norm is finite only if its coordinates are: one check over N values, not N x D.
        if (!norms.isfinite().all().item<bool>()) throw new ArgumentException("points has a NaN or infinite coordinate (or one too large to square): no distance to rank.", nameof(points));
        var columnNorms = norms.unsqueeze(0);
        // One buffer for every block: a fresh [block, N] result each time would be new pages from the kernel, whose
        // faults cost more than the product itself.
        var buffer = empty([Math.Min(blockSize, n), n], x.dtype);
        for (long start = 0; start < n; start += blockSize)
        {
            using var blockScope = NewDisposeScope();
            long size = Math.Min(blockSize, n - start);
            var block = x.narrow(0, start, size);
            // Row i's order depends only on |b|^2 - 2 a.b: one BLAS call writes it, and |a|^2 is added to the k
            // survivors alone.
            var scores = buffer.narrow(0, 0, size);
            scores.copy_(columnNorms.expand(size, n));
            scores.addmm_(block, x.t(), beta: 1, alpha: -2);
            var rowNorms = norms.narrow(0, start, size).to_type(ScalarType.Float64).data<double>().ToArray();
            if (scores.dtype == ScalarType.Float64) SelectBlock<double>(scores, (int)start, (int)size, (int)n, k, rowNorms, indices, distances);
            else SelectBlock<float>(scores, (int)start, (int)size, (int)n, k, rowNorms, indices, distances);
        }
        return (indices, distances);
    }

    static unsafe void SelectBlock<T>(Tensor scores, int start, int size, int n, int k, double[] rowNorms, int[] indices, float[] distances)
        where T : unmanaged, IFloatingPoint<T>
    {
        // Rows are read in place from libtorch's storage (TorchSharp's per-element accessor is far slower).
        var storage = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(scores.bytes);
        if (storage.Length < (long)size * n) throw new InvalidOperationException("the score block is not contiguous");
        nint address;
        fixed (T* first = storage) address = (nint)first; // the tensor owns the memory and outlives the loop
        Parallel.For(0, size, () => (new T[k], new int[k]), (r, _, heap) =>
        {
            var row = new ReadOnlySpan<T>((T*)address + (long)r * n, n);
            SmallestInRow(row, start + r, heap.Item1, heap.Item2);
            for (int e = 0; e < k; e++)
            {
                indices[(long)(start + r) * k + e] = heap.Item2[e];
                distances[(long)(start + r) * k + e] = (float)Math.Max(0, double.CreateTruncating(heap.Item1[e]) + rowNorms[r]);
            }
            return heap;
        }, _ => { });
    }

    /// <summary>
    /// The values.Length smallest entries of <paramref name="row"/> other than entry <paramref name="self"/>, ascending by
    /// (value, index), into <paramref name="values"/> and <paramref name="columns"/>. A max-heap holds the best so far;
    /// SIMD compares whole vectors against its top, so most of the row is skipped without a branch per entry.
    /// </summary>
    // Runs once per process in a notebook kernel: compiled optimised at once rather than after tiering up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void SmallestInRow<T>(ReadOnlySpan<T> row, int self, Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        int k = values.Length, filled = 0, j = 0;
        for (; filled < k; j++)
            if (j != self) { values[filled] = row[j]; columns[filled++] = j; }
        for (int i = k / 2 - 1; i >= 0; i--) SiftDown(values, columns, i);
        int width = Vector<T>.Count;
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(row);
        // Scalar up to a vector boundary, then whole vectors, then the tail.
        int vectorStart = Math.Min(row.Length, (j + width - 1) / width * width);
        for (; j < vectorStart; j++) Offer(row[j], j, self, values, columns);
        for (int v = vectorStart / width; v < vectors.Length; v++)
        {
            if (!Vector.LessThanAny(vectors[v], new Vector<T>(values[0]))) continue;
            for (int e = 0; e < width; e++) Offer(row[v * width + e], v * width + e, self, values, columns);
        }
        for (j = Math.Max(vectorStart, vectors.Length * width); j < row.Length; j++) Offer(row[j], j, self, values, columns);
        // Heap order to ascending (value, index): repeatedly move the largest to the end.
        for (int end = k - 1; end > 0; end--)
        {
            (values[0], values[end]) = (values[end], values[0]);
            (columns[0], columns[end]) = (columns[end], columns[0]);
            SiftDown(values[..end], columns[..end], 0);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void Offer<T>(T value, int column, int self, Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        // Columns come in increasing order, so an equal value never displaces an earlier (lower-index) one.
        if (!(value < values[0]) || column == self) return;
        values[0] = value; columns[0] = column;
        SiftDown(values, columns, 0);
    }

    /// <summary>Max-heap by (value, column): the larger value, or on a tie the larger column, is nearer the top.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void SiftDown<T>(Span<T> values, Span<int> columns, int i) where T : unmanaged, IFloatingPoint<T>
    {
        int count = values.Length;
        while (true)
        {
            int largest = i, left = 2 * i + 1, right = left + 1;
            if (left < count && Above(values[left], columns[left], values[largest], columns[largest])) largest = left;
            if (right < count && Above(values[right], columns[right], values[largest], columns[largest])) largest = right;
            if (largest == i) return;
            (values[i], values[largest]) = (values[largest], values[i]);
            (columns[i], columns[largest]) = (columns[largest], columns[i]);
            i = largest;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static bool Above<T>(T a, int columnA, T b, int columnB) where T : IFloatingPoint<T> => a > b || (a == b && columnA > columnB);
}
