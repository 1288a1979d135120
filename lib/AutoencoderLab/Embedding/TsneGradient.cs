using System.Runtime.CompilerServices;

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
    }

    double[] z = [];
    double[] repulsion = [];
    int[] order = [];

    /// <summary>Z = sum over i != j of w_ij, from the last <see cref="Compute"/>.</summary>
    public double Normalization { get; private set; }

    /// <summary>Points per Barnes-Hut group: larger groups mean fewer tree walks but longer interaction lists.</summary>
    public const int GroupSize = 64;

    /// <summary>Writes the gradient at <paramref name="y"/> [x0, y0, x1, y1, ...] into <paramref name="gradient"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(double[] y, double exaggeration, double[] gradient)
    {
        int n = affinities.Points;
        bool first = z.Length != n;
        if (first) { z = new double[n]; repulsion = new double[2 * n]; order = new int[n]; }
        double total = 0;
        if (fft is not null) total = fft.Compute(y, n, repulsion);
        else
        {
            tree.Build(y, n, first ? null : order, team);
            tree.Repulsion(order, GroupSize, theta, team, z, repulsion);
            for (int i = 0; i < n; i++) total += z[i]; // in index order: the same sum whatever the threads did
        }

        AttractiveForces.Compute(affinities, y, exaggeration, gradient, team);
        Normalization = total;
        for (int i = 0; i < n; i++)
        {
            gradient[2 * i] = 4 * (gradient[2 * i] - repulsion[2 * i] / total);
            gradient[2 * i + 1] = 4 * (gradient[2 * i + 1] - repulsion[2 * i + 1] / total);
        }
    }

    /// <summary>KL(P || Q) at <paramref name="y"/>, which must be the embedding of the last <see cref="Compute"/> (for its Z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double KlDivergence(double[] y)
    {
        double kl = 0;
        for (int i = 0; i < affinities.Points; i++)
            for (int e = affinities.RowStart[i]; e < affinities.RowStart[i + 1]; e++)
            {
                int j = affinities.Columns[e];
                double p = affinities.Values[e];
                if (p <= 0) continue;
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / Normalization;
                kl += p * Math.Log(p / Math.Max(q, double.Epsilon));
            }
        return kl;
    }
}
