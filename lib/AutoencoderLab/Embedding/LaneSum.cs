using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoencoderLab.Embedding;

/// <summary>
/// The 8 lanes of a vector of running sums added pairwise in one fixed order (<c>Vector512.Sum</c> leaves the order to
/// the platform): the t-SNE sums that run 8 entries at a time give the same bits on every machine and every code path.
/// </summary>
internal static class LaneSum
{
    /// <summary>((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Of(Vector512<double> v) =>
        ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
}
