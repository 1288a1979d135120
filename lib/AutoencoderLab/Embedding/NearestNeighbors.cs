using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// The distances come by tiles of <paramref name="blockSize"/> x <paramref name="blockSize"/>: a tile of blocks
    /// (a, b) serves the rows of a and, transposed, those of b, so the products above the diagonal are never computed
    /// twice (half the multiplications of a whole distance matrix).
    /// </summary>
    public static (int[] Indices, float[] SquaredDistances) Find(Tensor points, int k, int blockSize = 1024)
    {
        long n = points.shape[0];
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {n - 1}.");
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "Blocks need at least one row.");
        using var scope = NewDisposeScope();
        // float64 input (e.g. 2-D embeddings with large coordinates) keeps its precision; anything else runs in float32.
        var x = (points.dtype == ScalarType.Float64 ? points : points.to_type(ScalarType.Float32)).cpu().contiguous();
        var norms = (x * x).sum(1);
        // A row's squared norm is finite only if its coordinates are: one check over N values, not N x D. Below a quarter
        // of the type's largest value, no score |x_j|^2 - 2 x_i.x_j can overflow either.
        double limit = (x.dtype == ScalarType.Float64 ? double.MaxValue : float.MaxValue) / 4;
        if (!norms.isfinite().all().item<bool>() || norms.max().to_type(ScalarType.Float64).item<double>() > limit)
            throw new ArgumentException("points has a NaN or infinite coordinate (or one too large to square): no distance to rank.", nameof(points));
        return x.dtype == ScalarType.Float64 ? Search<double>(x, norms, (int)n, k, blockSize) : Search<float>(x, norms, (int)n, k, blockSize);
    }

    static (int[] Indices, float[] SquaredDistances) Search<T>(Tensor x, Tensor norms, int n, int k, int blockSize)
        where T : unmanaged, IFloatingPoint<T>
    {
        var heaps = new Heaps<T>(n, k, norms.data<T>().ToArray());
        int blocks = (int)(((long)n + blockSize - 1) / blockSize), side = Math.Min(blockSize, n);
        // A reused buffer: a fresh tile each time would be new pages from the kernel, whose faults cost more than the product.
        var tile = empty([side, side], x.dtype);
        // Each block's own tile first: in single precision a row's first candidates go in by one selection instead of
        // one insertion each (about half of all insertions), then the tiles above the diagonal. The k best by
        // (value, column) do not depend on the order in which candidates come.
        (int First, int Size) Block(int block)
        {
            int first = (int)Math.Min((long)block * blockSize, n);
            return (first, Math.Min(blockSize, n - first));
        }
        for (int a = 0; a < blocks; a++)
        {
            var own = Block(a);
            Products(x, tile, own, own);
            heaps.SelectInTile(Address<T>(tile), side, own.First, own.Size);
        }
        for (int a = 0; a < blocks; a++)
            for (int b = a + 1; b < blocks; b++)
            {
                var (rows, columns) = (Block(a), Block(b));
                Products(x, tile, rows, columns);
                heaps.OfferTile(Address<T>(tile), side, rows.First, rows.Size, columns.First, columns.Size);
            }
        return heaps.Finish();
    }

    /// <summary>
    /// Writes -2 x_i.x_j for the points i in <paramref name="rows"/> and j in <paramref name="columns"/> into the top left
    /// of <paramref name="tile"/>. Row i's order among columns j depends only on |x_j|^2 - 2 x_i.x_j (|x_i|^2 is added to
    /// the k survivors alone): each side adds the other's norm as it reads the tile, so a pair's score is the same two
    /// numbers added once, whichever tile it comes from, and identical points tie.
    /// </summary>
    static void Products(Tensor x, Tensor tile, (int First, int Size) rows, (int First, int Size) columns)
    {
        using var scope = NewDisposeScope();
        tile.narrow(0, 0, rows.Size).narrow(1, 0, columns.Size)
            .addmm_(x.narrow(0, rows.First, rows.Size), x.narrow(0, columns.First, columns.Size).t(), beta: 0, alpha: -2);
    }

    /// <summary>Where a buffer's values start in libtorch's storage (read in place: TorchSharp's per-element accessor is far slower).</summary>
    static unsafe nint Address<T>(Tensor buffer) where T : unmanaged
    {
        var storage = MemoryMarshal.Cast<byte, T>(buffer.bytes);
        fixed (T* first = storage) return (nint)first; // the tensor owns the memory and outlives its use
    }

    /// <summary>Each row's k best so far, as a max-heap by (value, column), filled tile by tile in increasing column order.</summary>
    sealed class Heaps<T> where T : unmanaged, IFloatingPoint<T>
    {
        readonly int n, k;
        readonly T[] values, norms;
        readonly int[] columns;

        /// <summary>Heaps for <paramref name="n"/> points with squared norms <paramref name="norms"/>.</summary>
        public Heaps(int n, int k, T[] norms)
        {
            (this.n, this.k, this.norms) = (n, k, norms);
            (values, columns) = (new T[n * k], new int[n * k]);
            Empty<T>(values, columns);
        }

        /// <summary>Rows of a tile one thread takes at a time.</summary>
        const int RowsPerItem = 16;

        /// <summary>
        /// Fills the heaps of the points firstPoint.. from their own block's tile at <paramref name="address"/> (rows
        /// <paramref name="stride"/> apart, <paramref name="size"/> x <paramref name="size"/>), whose rows are each point's
        /// first candidates: in single precision the k best of a row are selected at once and made a heap (packed keys make
        /// that cheaper than inserting them one by one; a selection over pairs of value and column is not, so double
        /// precision offers them).
        /// </summary>
        public unsafe void SelectInTile(nint address, int stride, int firstPoint, int size)
        {
            int items = (size + RowsPerItem - 1) / RowsPerItem;
            Parallel.For(0, items, item =>
            {
                var keys = typeof(T) == typeof(float) ? new long[size] : []; // room for a row's packed candidates
                for (int r = item * RowsPerItem, end = Math.Min(size, r + RowsPerItem); r < end; r++)
                {
                    var row = new ReadOnlySpan<T>((T*)address + (long)r * stride, size);
                    int point = firstPoint + r;
                    var heapValues = values.AsSpan(point * k, k);
                    var heapColumns = columns.AsSpan(point * k, k);
                    if (typeof(T) == typeof(float) && size - 1 > k)
                        SelectRow(MemoryMarshal.Cast<T, float>(row), MemoryMarshal.Cast<T, float>(norms.AsSpan(firstPoint, size)), firstPoint, point,
                            MemoryMarshal.Cast<T, float>(heapValues), heapColumns, keys);
                    else OfferRow(row, norms.AsSpan(firstPoint, size), firstPoint, point, heapValues, heapColumns);
                }
            });
        }

        /// <summary>
        /// Offers the tile at <paramref name="address"/> (rows <paramref name="stride"/> apart) of -2 x_i.x_j for points
        /// i = firstRow.. and j = firstColumn.. (another block's): row by row to the rows' points and column by column to
        /// the columns' points, each score with the other side's norm added.
        /// </summary>
        public unsafe void OfferTile(nint address, int stride, int firstRow, int rows, int firstColumn, int width)
        {
            int rowItems = (rows + RowsPerItem - 1) / RowsPerItem, strip = 2 * Vector256<T>.Count;
            int stripItems = (width + strip - 1) / strip;
            Parallel.For(0, rowItems + stripItems, item =>
            {
                if (item < rowItems)
                    for (int r = item * RowsPerItem, end = Math.Min(rows, r + RowsPerItem); r < end; r++)
                    {
                        var row = new ReadOnlySpan<T>((T*)address + (long)r * stride, width);
                        int point = firstRow + r;
                        OfferRow(row, norms.AsSpan(firstColumn, width), firstColumn, point, values.AsSpan(point * k, k), columns.AsSpan(point * k, k));
                    }
                else
                {
                    int first = (item - rowItems) * strip;
                    OfferColumns((T*)address + first, stride, rows, firstRow, firstColumn + first, Math.Min(strip, width - first));
                }
            });
        }

        /// <summary>
        /// Offers the columns from <paramref name="tile"/> on (at most two vectors wide) to their points from
        /// <paramref name="firstPoint"/> on, row r as column firstRow + r: whole rows of the strip are compared with the
        /// points' heap tops at once, so most rows are skipped without a branch per entry.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        unsafe void OfferColumns(T* tile, int stride, int rows, int firstRow, int firstPoint, int count)
        {
            int width = Vector256<T>.Count;
            if (count < 2 * width)
            {
                for (int c = 0; c < count; c++)
                {
                    int point = firstPoint + c;
                    var heapValues = values.AsSpan(point * k, k);
                    var heapColumns = columns.AsSpan(point * k, k);
                    for (int r = 0; r < rows; r++) NearestNeighbors.Offer(tile[(long)r * stride + c] + norms[firstRow + r], firstRow + r, -1, heapValues, heapColumns);
                }
                return;
            }
            Span<T> tops = stackalloc T[2 * width];
            for (int c = 0; c < 2 * width; c++) tops[c] = values[(firstPoint + c) * k];
            var low = Vector256.Create<T>(tops);
            var high = Vector256.Create<T>(tops[width..]);
            for (int r = 0; r < rows; r++)
            {
                T* line = tile + (long)r * stride;
                var norm = Vector256.Create(norms[firstRow + r]);
                var first = Vector256.Load(line) + norm;
                var second = Vector256.Load(line + width) + norm;
                uint below = Vector256.LessThanOrEqual(first, low).ExtractMostSignificantBits() | Vector256.LessThanOrEqual(second, high).ExtractMostSignificantBits() << width;
                if (below == 0) continue;
                for (; below != 0; below &= below - 1)
                {
                    int c = BitOperations.TrailingZeroCount(below);
                    int point = firstPoint + c;
                    NearestNeighbors.Offer(c < width ? first.GetElement(c) : second.GetElement(c - width), firstRow + r, -1, values.AsSpan(point * k, k), columns.AsSpan(point * k, k));
                    tops[c] = values[point * k];
                }
                low = Vector256.Create<T>(tops);
                high = Vector256.Create<T>(tops[width..]);
            }
        }

        /// <summary>Sorts each heap ascending and adds each row's own squared norm to its distances.</summary>
        public (int[] Indices, float[] SquaredDistances) Finish()
        {
            var indices = new int[n * k];
            var distances = new float[n * k];
            Parallel.For(0, n, i =>
            {
                var rowValues = values.AsSpan(i * k, k);
                var rowColumns = columns.AsSpan(i * k, k);
                Sort(rowValues, rowColumns);
                double norm = double.CreateTruncating(norms[i]);
                for (int e = 0; e < k; e++)
                {
                    indices[i * k + e] = rowColumns[e];
                    distances[i * k + e] = (float)Math.Max(0, double.CreateTruncating(rowValues[e]) + norm);
                }
            });
            return (indices, distances);
        }
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
        Empty(values, columns);
        OfferRow(row, new T[row.Length], 0, self, values, columns);
        Sort(values, columns);
    }

    /// <summary>
    /// The values.Length best entries of <paramref name="row"/> plus <paramref name="norms"/> (columns firstColumn,
    /// firstColumn + 1, ...) by (value, column), other than column <paramref name="self"/>, made a max-heap in
    /// <paramref name="values"/> and <paramref name="columns"/> by one selection over the row's packed <see cref="Key"/>s
    /// in <paramref name="keys"/> (as long as the row, which must have more entries than the heap).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void SelectRow(ReadOnlySpan<float> row, ReadOnlySpan<float> norms, int firstColumn, int self, Span<float> values, Span<int> columns, Span<long> keys)
    {
        int k = values.Length, count = 0;
        for (int c = 0; c < row.Length; c++)
            if (firstColumn + c != self) keys[count++] = Key(row[c] + norms[c], firstColumn + c);
        SelectSmallest(keys[..count], k);
        for (int e = 0; e < k; e++) (values[e], columns[e]) = (ValueOf(keys[e]), ColumnOf(keys[e]));
        for (int i = k / 2 - 1; i >= 0; i--) SiftDown(values, columns, i);
    }

    /// <summary>A heap with no entries yet: every slot at +infinity and the largest column, so any real entry displaces it.</summary>
    static void Empty<T>(Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        values.Fill(T.CreateTruncating(double.PositiveInfinity));
        columns.Fill(int.MaxValue);
    }

    /// <summary>
    /// Offers the entries of <paramref name="row"/> (columns firstColumn, firstColumn + 1, ...) plus the columns'
    /// <paramref name="norms"/>, other than column <paramref name="self"/>, to the max-heap in <paramref name="values"/> and
    /// <paramref name="columns"/>. SIMD compares whole vectors against the heap's top, so most of the row is skipped
    /// without a branch per entry.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void OfferRow<T>(ReadOnlySpan<T> row, ReadOnlySpan<T> norms, int firstColumn, int self, Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        int width = Vector256<T>.Count, j = 0;
        // Whole vectors from the row's start (a row of a tile need not be aligned; the loads do not need it).
        for (; j + width <= row.Length; j += width)
        {
            var scores = Vector256.Create(row.Slice(j, width)) + Vector256.Create(norms.Slice(j, width));
            // Only the entries not above the top when the vector came (an equal one may win on its column): the top only falls as entries go in.
            for (uint below = Vector256.LessThanOrEqual(scores, Vector256.Create(values[0])).ExtractMostSignificantBits(); below != 0; below &= below - 1)
            {
                int e = BitOperations.TrailingZeroCount(below);
                Offer(scores.GetElement(e), firstColumn + j + e, self, values, columns);
            }
        }
        for (; j < row.Length; j++) Offer(row[j] + norms[j], firstColumn + j, self, values, columns);
    }

    /// <summary>Heap order to ascending (value, column): sorted by value, then each run of equal values by column.</summary>
    static void Sort<T>(Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        values.Sort(columns);
        for (int start = 0, end; start < values.Length; start = end)
        {
            for (end = start + 1; end < values.Length && values[end] == values[start]; end++) { }
            if (end - start > 1) columns[start..end].Sort();
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static void Offer<T>(T value, int column, int self, Span<T> values, Span<int> columns) where T : unmanaged, IFloatingPoint<T>
    {
        // By (value, column): columns do not come in increasing order (each block's own tile goes first).
        if (!Above(values[0], columns[0], value, column) || column == self) return;
        values[0] = value; columns[0] = column;
        SiftDown(values, columns, 0);
    }

    /// <summary>
    /// Moves the <paramref name="k"/> smallest of <paramref name="keys"/> to the front, in no particular order: quickselect
    /// with a median of three, partitioned without a branch per entry (Lomuto's scheme, each entry swapped and the
    /// boundary moved by the comparison). Keys are distinct (their columns are).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void SelectSmallest(Span<long> keys, int k)
    {
        int low = 0, high = keys.Length - 1, target = k - 1;
        while (low < high)
        {
            int middle = low + (high - low) / 2;
            if (keys[low] > keys[middle]) (keys[low], keys[middle]) = (keys[middle], keys[low]);
            if (keys[middle] > keys[high]) (keys[middle], keys[high]) = (keys[high], keys[middle]);
            if (keys[low] > keys[middle]) (keys[low], keys[middle]) = (keys[middle], keys[low]);
            long pivot = keys[middle];
            (keys[middle], keys[high]) = (keys[high], keys[middle]);
            int store = low;
            for (int i = low; i < high; i++)
            {
                long key = keys[i];
                keys[i] = keys[store];
                keys[store] = key;
                store += key < pivot ? 1 : 0;
            }
            (keys[store], keys[high]) = (keys[high], keys[store]);
            if (target < store) high = store - 1;
            else if (target > store) low = store + 1;
            else return;
        }
    }

    /// <summary>
    /// A finite <paramref name="value"/> and its <paramref name="column"/> (not negative) as one integer whose order is
    /// <see cref="Above"/>'s: the value's bits made monotonic (a negative value's magnitude bits flipped) above the column.
    /// -0 is taken as +0, which it equals.
    /// </summary>
    internal static long Key(float value, int column)
    {
        int bits = BitConverter.SingleToInt32Bits(value + 0f);
        return ((long)(bits ^ ((bits >> 31) & int.MaxValue)) << 32) | (uint)column;
    }

    /// <summary>The value of a <see cref="Key"/>.</summary>
    internal static float ValueOf(long key)
    {
        int bits = (int)(key >> 32);
        return BitConverter.Int32BitsToSingle(bits ^ ((bits >> 31) & int.MaxValue));
    }

    /// <summary>The column of a <see cref="Key"/>.</summary>
    internal static int ColumnOf(long key) => (int)key;

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
