using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoencoderLab.Embedding;

/// <summary>
/// t-SNE's attractive forces, sum_j p_ij w_ij (y_i - y_j) with w = 1 / (1 + d^2), over the sparse P: the step every
/// iteration pays for each of the ~3 x perplexity x 2 entries of a row. A row's entries are dealt to
/// <see cref="Lanes"/> running sums (entry e to lane e mod 8) that are added up in a fixed order at the end, so
/// the AVX-512 path (one division for 8 entries), the AVX2 path and the scalar path give the same bits on every machine.
/// </summary>
internal static class AttractiveForces
{
    /// <summary>Running sums per row, one per SIMD lane of a 512-bit vector of doubles.</summary>
    public const int Lanes = 8;

    /// <summary>Writes exaggeration * sum_j p_ij w_ij (y_i - y_j) into gradient[2i, 2i + 1] for every point i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(Affinities p, double[] y, double exaggeration, double[] gradient, WorkerTeam team)
    {
        int n = p.Points;
        if (y.Length < 2 * n || gradient.Length < 2 * n) throw new ArgumentException($"y and gradient need {2 * n} entries.");
        team.Run((n + RowsPerItem - 1) / RowsPerItem, (item, _) =>
        {
            for (int i = item * RowsPerItem, end = Math.Min(n, i + RowsPerItem); i < end; i++)
            {
                var (ax, ay) = Row(p, y, i);
                gradient[2 * i] = exaggeration * ax;
                gradient[2 * i + 1] = exaggeration * ay;
            }
        });
    }

    /// <summary>Rows a thread takes at a time.</summary>
    const int RowsPerItem = 512;

    /// <summary>Row i's sum, by the widest vectors (512, 256 or 0 bits) this CPU has up to <paramref name="widest"/>; all paths give the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe (double X, double Y) Row(Affinities p, double[] y, int i, int widest = 512)
    {
        int start = p.RowStart[i], end = p.RowStart[i + 1];
        int vectorEnd = start + (end - start) / Lanes * Lanes;
        double xi = y[2 * i], yi = y[2 * i + 1];
        var sumX = stackalloc double[Lanes];
        var sumY = stackalloc double[Lanes];
        fixed (double* points = y, values = p.Values)
        fixed (int* columns = p.Columns)
        {
            if (widest >= 512 && Avx512F.IsSupported && Avx512F.VL.IsSupported)
            {
                Vector512<double> ax = Vector512<double>.Zero, ay = Vector512<double>.Zero;
                Vector512<double> vx = Vector512.Create(xi), vy = Vector512.Create(yi), one = Vector512<double>.One;
                for (int e = start; e < vectorEnd; e += Lanes)
                {
                    // .NET has no 512-bit gather: two 256-bit ones make the vector.
                    var index = Avx2.ShiftLeftLogical(Avx.LoadVector256(columns + e), 1); // row j starts at 2j
                    var dx = vx - Vector512.Create(Avx2.GatherVector256(points, index.GetLower(), 8), Avx2.GatherVector256(points, index.GetUpper(), 8));
                    var dy = vy - Vector512.Create(Avx2.GatherVector256(points + 1, index.GetLower(), 8), Avx2.GatherVector256(points + 1, index.GetUpper(), 8));
                    var pw = Avx512F.LoadVector512(values + e) / (one + dx * dx + dy * dy);
                    ax += pw * dx; ay += pw * dy;
                }
                ax.Store(sumX); ay.Store(sumY);
            }
            else if (widest >= 256 && Avx2.IsSupported)
            {
                Vector256<double> ax0 = Vector256<double>.Zero, ay0 = ax0, ax1 = ax0, ay1 = ax0;
                Vector256<double> vx = Vector256.Create(xi), vy = Vector256.Create(yi), one = Vector256<double>.One;
                for (int e = start; e < vectorEnd; e += Lanes)
                {
                    var index = Avx2.ShiftLeftLogical(Avx.LoadVector256(columns + e), 1);
                    var dx0 = vx - Avx2.GatherVector256(points, index.GetLower(), 8);
                    var dy0 = vy - Avx2.GatherVector256(points + 1, index.GetLower(), 8);
                    var dx1 = vx - Avx2.GatherVector256(points, index.GetUpper(), 8);
                    var dy1 = vy - Avx2.GatherVector256(points + 1, index.GetUpper(), 8);
                    var pw0 = Avx.LoadVector256(values + e) / (one + dx0 * dx0 + dy0 * dy0);
                    var pw1 = Avx.LoadVector256(values + e + 4) / (one + dx1 * dx1 + dy1 * dy1);
                    ax0 += pw0 * dx0; ay0 += pw0 * dy0; ax1 += pw1 * dx1; ay1 += pw1 * dy1;
                }
                ax0.Store(sumX); ax1.Store(sumX + 4); ay0.Store(sumY); ay1.Store(sumY + 4);
            }
            else
            {
                for (int lane = 0; lane < Lanes; lane++) sumX[lane] = sumY[lane] = 0;
                for (int e = start; e < vectorEnd; e++) Add(sumX, sumY, e - start, xi, yi, points, columns[e], values[e]);
            }
            // The row's last (length mod 8) entries, into the lanes they would have had in a full vector.
            for (int e = vectorEnd; e < end; e++) Add(sumX, sumY, e - start, xi, yi, points, columns[e], values[e]);
        }
        // Lanes added pairwise, in the same order on every path.
        return (LaneSum.Of(Vector512.Create<double>(new ReadOnlySpan<double>(sumX, Lanes))), LaneSum.Of(Vector512.Create<double>(new ReadOnlySpan<double>(sumY, Lanes))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Add(double* sumX, double* sumY, int offset, double xi, double yi, double* points, int j, double value)
    {
        double dx = xi - points[2 * j], dy = yi - points[2 * j + 1];
        double pw = value / (1 + dx * dx + dy * dy);
        int lane = offset % Lanes;
        sumX[lane] += pw * dx; sumY[lane] += pw * dy;
    }
}
