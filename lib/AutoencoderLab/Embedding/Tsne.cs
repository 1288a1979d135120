using System.Diagnostics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace AutoencoderLab.Embedding;

/// <summary>
/// t-SNE in 2-D, as scikit-learn and openTSNE compute it: exact nearest neighbours (3 x perplexity),
/// per-point bandwidths by binary search on the entropy, symmetric sparse P, PCA initialisation,
/// Barnes-Hut or FFT-interpolated (FIt-SNE) repulsion, early exaggeration 12 for 250 iterations at momentum 0.5, then momentum 0.8,
/// per-parameter gains, re-centring every iteration. Deterministic for a given seed.
/// </summary>
public static class Tsne
{
    /// <summary>Embeds the rows of <paramref name="points"/> [N, D].</summary>
    public static TsneEmbedding Embed(Tensor points, TsneOptions? options = null, IProgress<TsneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new TsneOptions();
        if (points.dim() != 2) throw new ArgumentException($"points must be [N, D], got [{string.Join(", ", points.shape)}]", nameof(points));
        int n = (int)points.shape[0];
        options.Validate(n);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.ThreadsFor(n) };
        var clock = Stopwatch.StartNew();
        var phases = new Dictionary<string, double>();

        int k = options.Neighbors(n);
        progress?.Report(new TsneProgress("neighbors", 0, options.Iterations, null, clock.Elapsed));
        var (neighbors, distances) = NearestNeighbors.Find(points, k);
        phases["neighbors"] = clock.Elapsed.TotalSeconds;

        progress?.Report(new TsneProgress("affinities", 0, options.Iterations, null, clock.Elapsed));
        var affinities = Affinities.FromNeighbors(neighbors, distances, n, k, options.Perplexity, parallel);
        phases["affinities"] = clock.Elapsed.TotalSeconds - phases["neighbors"];

        var y = Initialize(points, options);
        var gradient = new TsneGradient(affinities, options.Theta, parallel, options.RepulsionFor(n));
        double kl = Optimize(y, gradient, options, n, progress, clock, cancellationToken);
        phases["optimization"] = clock.Elapsed.TotalSeconds - phases["neighbors"] - phases["affinities"];
        return new TsneEmbedding(y, kl, phases, neighbors, k);
    }

    static double Optimize(double[] y, TsneGradient gradient, TsneOptions options, int n, IProgress<TsneProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var grad = new double[2 * n];
        var update = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        double rate = options.LearningRateFor(n);
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool early = iteration < options.ExaggerationIterations;
            double momentum = early ? options.InitialMomentum : options.FinalMomentum;
            gradient.Compute(y, early ? options.EarlyExaggeration : 1, grad);
            Step(y, grad, update, gains, momentum, rate);
            Recenter(y, n);
            int done = iteration + 1;
            if (progress is not null && done % options.ReportEvery == 0 && done < options.Iterations)
                progress.Report(new TsneProgress("optimization", done, options.Iterations, Kl(gradient, y, grad), clock.Elapsed));
        }
        double kl = Kl(gradient, y, grad);
        progress?.Report(new TsneProgress("optimization", options.Iterations, options.Iterations, kl, clock.Elapsed));
        return kl;
    }

    /// <summary>KL divergence at <paramref name="y"/>: Z must be that of y itself, so the forces are evaluated there once more.</summary>
    static double Kl(TsneGradient gradient, double[] y, double[] scratch)
    {
        gradient.Compute(y, 1, scratch);
        return gradient.KlDivergence(y);
    }

    /// <summary>One gradient step with momentum and per-parameter gains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Step(double[] y, double[] grad, double[] update, double[] gains, double momentum, double rate)
    {
        for (int d = 0; d < y.Length; d++)
        {
            // Gains grow where the gradient keeps pointing against the last update, shrink otherwise.
            gains[d] = Math.Sign(grad[d]) != Math.Sign(update[d]) ? gains[d] + 0.2 : gains[d] * 0.8;
            if (gains[d] < 0.01) gains[d] = 0.01;
            update[d] = momentum * update[d] - rate * gains[d] * grad[d];
            y[d] += update[d];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Recenter(double[] y, int n)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n; my /= n;
        for (int i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }

    const int PcaBlockRows = 4096;

    /// <summary>The starting layout: PCA or seeded noise, with standard deviation 1e-4 along the first axis.</summary>
    internal static double[] Initialize(Tensor points, TsneOptions options)
    {
        int n = (int)points.shape[0];
        var y = new double[2 * n];
        if (options.Initialization == TsneInitialization.Random)
        {
            var random = new Random(unchecked((int)options.Seed));
            for (int d = 0; d < y.Length; d++) y[d] = 1e-4 * Gaussian(random);
            return y;
        }
        using var scope = NewDisposeScope();
        var type = points.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var x = points.cpu().to_type(type);
        long dimensions = x.shape[1];
        var shift = x.mean([0L], keepdim: true);
        var mean = shift.to_type(ScalarType.Float64);
        // The mean and the covariance in the input's precision, by blocks of rows, the blocks summed in float64: a
        // float64 copy of 20,000 images would be new memory whose page faults cost more than the products.
        var covariance = zeros([dimensions, dimensions], ScalarType.Float64);
        for (long start = 0; start < n; start += PcaBlockRows)
        {
            using var blockScope = NewDisposeScope();
            var block = x.narrow(0, start, Math.Min(PcaBlockRows, n - start)) - shift;
            covariance.add_(block.t().matmul(block).to_type(ScalarType.Float64));
        }
        var (_, vectors) = linalg.eigh(covariance); // ascending eigenvalues
        var top = vectors.narrow(1, vectors.shape[1] - 2, 2).flip(1);   // two largest, largest first
        // Fix each component's sign (its largest entry positive) so the layout does not depend on the solver.
        var signs = top.gather(0, top.abs().argmax(0, keepdim: true)).sign();
        var axes = top * signs;
        var projected = x.matmul(axes.to_type(type)).to_type(ScalarType.Float64) - mean.matmul(axes);
        projected = projected / projected[.., 0].std() * 1e-4;
        projected.contiguous().data<double>().CopyTo(y);
        return y;
    }

    static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
