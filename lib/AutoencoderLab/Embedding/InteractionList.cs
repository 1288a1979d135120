using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoencoderLab.Embedding;

/// <summary>
/// The cells (centre of mass, count) one group of points interacts with, in flat arrays so the per-point
/// sum is one branch-free loop over 8 cells at a time (one 512-bit vector of doubles; .NET runs the same
/// operations on halves or quarters where the CPU has narrower vectors, so every machine gets the same bits).
/// </summary>
internal sealed class InteractionList
{
    const int Lanes = 8;
    double[] x = new double[256], y = new double[256], count = new double[256];
    int length;

    public void Clear() => length = 0;

    /// <summary>Cells in the list.</summary>
    public int Length => length;

    /// <summary>Drops the cells added after the list had <paramref name="keep"/> of them.</summary>
    public void Truncate(int keep) => length = keep;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double massX, double massY, int points)
    {
        if (length + Lanes > x.Length) // room for the padding too
        {
            Array.Resize(ref x, x.Length * 2); Array.Resize(ref y, x.Length); Array.Resize(ref count, x.Length);
        }
        x[length] = massX; y[length] = massY; count[length++] = points;
    }

    /// <summary>Adds the cell if <paramref name="add"/>, without a branch on it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddIf(double massX, double massY, int points, bool add)
    {
        if (length + Lanes > x.Length) // room for the padding too
        {
            Array.Resize(ref x, x.Length * 2); Array.Resize(ref y, x.Length); Array.Resize(ref count, x.Length);
        }
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), length) = massX;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), length) = massY;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(count), length) = points;
        length += add ? 1 : 0;
    }

    /// <summary>
    /// Adds, if <paramref name="add"/> and without a branch on it, the <paramref name="points"/> (at most 8) points from
    /// place <paramref name="first"/> of <paramref name="xs"/> and <paramref name="ys"/> as cells of one point each: 8 are
    /// copied whatever the count, so both arrays must extend 8 places past <paramref name="first"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddPointsIf(double[] xs, double[] ys, int first, int points, bool add)
    {
        if (length + 2 * Lanes > x.Length) // the 8 copied and the padding
        {
            Array.Resize(ref x, x.Length * 2); Array.Resize(ref y, x.Length); Array.Resize(ref count, x.Length);
        }
        Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(xs), (nuint)first).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(x), (nuint)length);
        Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ys), (nuint)first).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(y), (nuint)length);
        Vector512<double>.One.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(count), (nuint)length);
        length += add ? points : 0;
    }

    /// <summary>Returns sum_c n_c w_c and sets (fx, fy) = sum_c n_c w_c^2 (p - c), w_c = 1 / (1 + |p - c|^2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Accumulate(double px, double py, out double fx, out double fy)
    {
        // Pad to whole vectors with empty cells: a count of 0 adds exactly nothing.
        int padded = (length + Lanes - 1) / Lanes * Lanes;
        x.AsSpan(length, padded - length).Clear(); y.AsSpan(length, padded - length).Clear(); count.AsSpan(length, padded - length).Clear();
        Vector512<double> z = Vector512<double>.Zero, sx = z, sy = z, one = Vector512<double>.One;
        Vector512<double> vx = Vector512.Create(px), vy = Vector512.Create(py);
        ref double xs = ref x[0], ys = ref y[0], ns = ref count[0];
        for (int c = 0; c < padded; c += Lanes)
        {
            var dx = vx - Vector512.LoadUnsafe(ref xs, (nuint)c);
            var dy = vy - Vector512.LoadUnsafe(ref ys, (nuint)c);
            var w = one / (one + dx * dx + dy * dy);
            var nw = Vector512.LoadUnsafe(ref ns, (nuint)c) * w;
            z += nw;
            nw *= w;
            sx += nw * dx; sy += nw * dy;
        }
        fx = LaneSum.Of(sx); fy = LaneSum.Of(sy);
        return LaneSum.Of(z);
    }
}
