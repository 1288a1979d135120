using System.Runtime.Intrinsics.X86;
using AutoencoderLab.Embedding;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Embedding;

public class AttractiveForcesTests
{
    /// <summary>P over random points, and a random layout: rows of 3 to ~2k entries, most not a multiple of 8.</summary>
    static (Affinities P, double[] Y) Problem(int n, int k)
    {
        var random = new Random(k);
        using var points = tensor(Enumerable.Range(0, n * 5).Select(_ => (float)random.NextDouble()).ToArray(), [n, 5]);
        var (neighbors, distances) = NearestNeighbors.Find(points, k);
        var p = Affinities.FromNeighbors(neighbors, distances, n, k, Math.Max(1, k / 3.0));
        return (p, Enumerable.Range(0, 2 * n).Select(_ => random.NextDouble() * 20 - 10).ToArray());
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(13)]
    [InlineData(90)]
    public void Every_vector_width_gives_the_same_bits_as_the_scalar_path(int k)
    {
        Skip.IfNot(Avx2.IsSupported, "this CPU has no AVX2: only the scalar path runs here");
        var (p, y) = Problem(500, k);
        Assert.Contains(Enumerable.Range(0, p.Points), i => (p.RowStart[i + 1] - p.RowStart[i]) % AttractiveForces.Lanes != 0);
        for (int i = 0; i < p.Points; i++)
        {
            var scalar = AttractiveForces.Row(p, y, i, widest: 0);
            Assert.Equal(scalar, AttractiveForces.Row(p, y, i, widest: 256));
            Assert.Equal(scalar, AttractiveForces.Row(p, y, i, widest: 512));
        }
    }

    [Fact]
    public void Forces_are_the_sum_over_each_row_times_the_exaggeration()
    {
        var (p, y) = Problem(300, 20);
        var gradient = new double[y.Length];
        AttractiveForces.Compute(p, y, 12, gradient, new WorkerTeam(2));
        for (int i = 0; i < p.Points; i++)
        {
            double ax = 0, ay = 0;
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double pw = p.Values[e] / (1 + dx * dx + dy * dy);
                ax += pw * dx; ay += pw * dy;
            }
            Assert.Equal(12 * ax, gradient[2 * i], 1e-12 * Math.Max(1e-300, Math.Abs(12 * ax)) + 1e-18);
            Assert.Equal(12 * ay, gradient[2 * i + 1], 1e-12 * Math.Max(1e-300, Math.Abs(12 * ay)) + 1e-18);
        }
    }
}
