using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoencoderLab.Embedding;

/// <summary>
/// The t-SNE gradient dC/dy_i = 4 (exaggeration * sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z):
/// attractive forces over the sparse P, repulsive forces by Barnes-Hut (accuracy theta) or by FFT
/// interpolation (repulsion; <see cref="TsneRepulsion.Auto"/> picks by the number of points as
/// <see cref="TsneOptions"/> does). Each point's sums are computed on their own in a fixed order, so the result
/// does not depend on how the work is split across threads.
/// </summary>
public sealed class TsneGradient
{
    readonly Affinities affinities;
    readonly double theta;
    readonly QuadTree tree = new();
    readonly WorkerTeam team;
    readonly FftRepulsion? fft;

    /// <summary>The gradient for <paramref name="affinities"/>, on the threads <paramref name="parallel"/> allows (default: one per core).</summary>
    public TsneGradient(Affinities affinities, double theta, ParallelOptions? parallel = null, TsneRepulsion repulsion = TsneRepulsion.BarnesHut)
    {
        this.affinities = affinities;
        this.theta = theta;
        team = WorkerTeam.For(parallel ?? new ParallelOptions());
        if (new TsneOptions { Repulsion = repulsion }.RepulsionFor(affinities.Points) == TsneRepulsion.Fft) fft = new FftRepulsion(team: team);
        foreach (double p in affinities.Values)
            if (p > 0) { entropy += p * Math.Log(p); mass += p; }
    }

    double[] z = [];
    double[] repulsion = [];

    /// <summary>Z = sum over i != j of w_ij, from the last <see cref="Compute"/>.</summary>
    public double Normalization { get; private set; }

    /// <summary>
    /// Points per Barnes-Hut group: larger groups mean fewer walks but longer interaction lists. With the lists found on
    /// the way down the tree a walk costs little, and 256 is faster than 64 (README, bench tsne).
    /// </summary>
    public const int GroupSize = 256;

    /// <summary>Writes the gradient at <paramref name="y"/> [x0, y0, x1, y1, ...] into <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(double[] y, double exaggeration, double[] gradient)
    {
        int n = affinities.Points;
        if (z.Length != n) { z = new double[n]; repulsion = new double[2 * n]; }
        double total = 0;
        if (fft is not null) total = fft.Compute(y, n, repulsion);
        else
        {
            tree.Build(y, n, team);
            tree.Repulsion(GroupSize, theta, team, z, repulsion);
            for (int i = 0; i < n; i++) total += z[i]; // in index order: the same sum whatever the threads did
        }

        AttractiveForces.Compute(affinities, y, exaggeration, gradient, team);
        Normalization = total;
        team.RunInSlices(n, PointsPerItem, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                gradient[2 * i] = 4 * (gradient[2 * i] - repulsion[2 * i] / total);
                gradient[2 * i + 1] = 4 * (gradient[2 * i + 1] - repulsion[2 * i + 1] / total);
            }
        });
    }

    /// <summary>Points a thread takes at a time when the forces are put together (as in the tree's passes).</summary>
    const int PointsPerItem = QuadTree.PointsPerItem;

    readonly double entropy, mass; // sum of p log p and of p over the entries, fixed by P
    double[] rowSums = [];

    /// <summary>Rows whose KL terms one thread adds up at a time; the chunks' sums are added in order.</summary>
    const int KlRowsPerChunk = 256;

    /// <summary>
    /// KL(P || Q) at <paramref name="y"/>, which must be the embedding of the last <see cref="Compute"/> (for its Z), as
    /// sum p log p + sum p log(1 + d^2) + (sum p) log Z: the first and last sums are fixed by P, so each call takes one
    /// logarithm per entry above the diagonal (twice their sum is the middle one), 8 at a time, on the gradient's threads
    /// (the result does not depend on their number).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double KlDivergence(double[] y)
    {
        int n = affinities.Points;
        int chunks = (n + KlRowsPerChunk - 1) / KlRowsPerChunk;
        if (rowSums.Length != chunks) rowSums = new double[chunks];
        team.Run(chunks, (chunk, _) =>
        {
            double sum = 0;
            for (int i = chunk * KlRowsPerChunk, end = Math.Min(n, i + KlRowsPerChunk); i < end; i++) sum += LogKernelSum(y, i);
            rowSums[chunk] = sum;
        });
        double cross = 0;
        foreach (double sum in rowSums) cross += sum;
        return entropy + 2 * cross + mass * Math.Log(Normalization);
    }

    /// <summary>Row i's sum of p_ij log(1 + |y_i - y_j|^2) over j &gt; i, entry e in lane e mod 8, the lanes added in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double LogKernelSum(double[] y, int i)
    {
        const int Lanes = 8;
        Span<double> argument = stackalloc double[Lanes], weight = stackalloc double[Lanes];
        var sums = Vector512<double>.Zero;
        double xi = y[2 * i], yi = y[2 * i + 1];
        int start = affinities.RowStart[i], end = affinities.RowStart[i + 1];
        // P and the distances are symmetric to the bit, so the entries above the diagonal (a row's columns past i, the
        // end of the sorted row) are half the sum.
        int above = affinities.Columns.AsSpan(start, end - start).BinarySearch(i);
        start += above < 0 ? ~above : above + 1;
        for (int e = start; e < end; e += Lanes)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                int entry = e + lane;
                if (entry < end)
                {
                    int j = affinities.Columns[entry];
                    double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
                    argument[lane] = 1 + dx * dx + dy * dy;
                    weight[lane] = affinities.Values[entry];
                }
                else { argument[lane] = 1; weight[lane] = 0; } // log 1 = 0: nothing added
            }
            sums += Vector512.Create<double>(weight) * Vector512.Log(Vector512.Create<double>(argument));
        }
        return LaneSum.Of(sums);
    }
}
