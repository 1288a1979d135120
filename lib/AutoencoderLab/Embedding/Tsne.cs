using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
            // The layout after `iteration` steps, with the Z its gradient has just computed.
            if (progress is not null && iteration > 0 && iteration % options.ReportEvery == 0)
                progress.Report(new TsneProgress("optimization", iteration, options.Iterations, gradient.KlDivergence(y), clock.Elapsed));
            Step(y, grad, update, gains, momentum, rate);
            Recenter(y, n);
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

    /// <summary>
    /// One gradient step with momentum and per-parameter gains, 8 coordinates at a time (the same bits as one at a time).
    /// The gains follow scikit-learn's <c>_gradient_descent</c>: + 0.2 where the last update and the gradient have opposite
    /// signs, x 0.8 elsewhere (where either is 0 too, so the first step, from no update, shrinks them all), at least 0.01.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Step(double[] y, double[] grad, double[] update, double[] gains, double momentum, double rate)
    {
        int d = 0;
        if (y.Length >= Vector512<double>.Count)
        {
            Vector512<double> m = Vector512.Create(momentum), r = Vector512.Create(rate);
            Vector512<double> grow = Vector512.Create(0.2), shrink = Vector512.Create(0.8), floor = Vector512.Create(0.01), zero = Vector512<double>.Zero;
            ref double ys = ref y[0], gs = ref grad[0], us = ref update[0], ns = ref gains[0];
            for (; d <= y.Length - Vector512<double>.Count; d += Vector512<double>.Count)
            {
                var g = Vector512.LoadUnsafe(ref gs, (nuint)d);
                var u = Vector512.LoadUnsafe(ref us, (nuint)d);
                var gain = Vector512.LoadUnsafe(ref ns, (nuint)d);
                var against = (Vector512.LessThan(g, zero) & Vector512.GreaterThan(u, zero)) | (Vector512.GreaterThan(g, zero) & Vector512.LessThan(u, zero));
                gain = Vector512.Max(Vector512.ConditionalSelect(against, gain + grow, gain * shrink), floor);
                u = m * u - r * gain * g;
                gain.StoreUnsafe(ref ns, (nuint)d);
                u.StoreUnsafe(ref us, (nuint)d);
                (Vector512.LoadUnsafe(ref ys, (nuint)d) + u).StoreUnsafe(ref ys, (nuint)d);
            }
        }
        for (; d < y.Length; d++)
        {
            gains[d] = Math.Sign(grad[d]) * Math.Sign(update[d]) < 0 ? gains[d] + 0.2 : gains[d] * 0.8;
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
        var top = LeadingEigenvectors(covariance, 2);
        // Fix each component's sign (its largest entry positive) so the layout does not depend on the solver.
        var signs = top.gather(0, top.abs().argmax(0, keepdim: true)).sign();
        var axes = top * signs;
        var projected = x.matmul(axes.to_type(type)).to_type(ScalarType.Float64) - mean.matmul(axes);
        projected = projected / projected[.., 0].std() * 1e-4;
        projected.contiguous().data<double>().CopyTo(y);
        return y;
    }

    /// <summary>Dimensions from which <see cref="LeadingEigenvectors"/> iterates instead of solving the whole eigenproblem.</summary>
    const int IterateFromDimensions = 128;
    const int SubspaceSize = 8, SubspaceSteps = 30;

    /// <summary>
    /// The <paramref name="count"/> leading eigenvectors of a symmetric positive semi-definite matrix, largest first, as
    /// columns. For a large matrix by subspace iteration (a block of 8 vectors from a fixed start, 30 products, then the
    /// Rayleigh-Ritz step): the whole eigendecomposition of 784 x 784 pixels took 0.1 s, as long as a hundred t-SNE
    /// iterations of 5,000 points, and the leading pair of MNIST's spectrum is far enough from the ninth value that 30
    /// steps reach it to rounding. Where they do not (a flat spectrum), the whole eigendecomposition is used.
    /// </summary>
    internal static Tensor LeadingEigenvectors(Tensor matrix, int count)
    {
        long size = matrix.shape[0];
        if (size < IterateFromDimensions)
        {
            var (_, all) = linalg.eigh(matrix); // ascending eigenvalues
            return all.narrow(1, size - count, count).flip(1);
        }
        using var generator = new Generator(0);
        var basis = randn([size, SubspaceSize], matrix.dtype, generator: generator);
        for (int step = 0; step < SubspaceSteps; step++) basis = linalg.qr(matrix.matmul(basis)).Q;
        var (values, small) = linalg.eigh(basis.t().matmul(matrix).matmul(basis));
        var vectors = basis.matmul(small.narrow(1, SubspaceSize - count, count).flip(1));
        // A spectrum too flat for the steps taken (noise-like input): the residual says so, and the whole solver answers.
        var residual = linalg.norm(matrix.matmul(vectors) - vectors * values.narrow(0, SubspaceSize - count, count).flip(0)).item<double>();
        if (residual > ConvergedResidual * linalg.norm(matrix).item<double>())
        {
            var (_, all) = linalg.eigh(matrix);
            return all.narrow(1, size - count, count).flip(1);
        }
        return vectors;
    }

    /// <summary>Largest residual |A v - lambda v|, relative to |A|, taken as converged.</summary>
    const double ConvergedResidual = 1e-9;

    static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
