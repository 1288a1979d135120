namespace AutoencoderLab.Embedding;

/// <summary>t-SNE settings; the defaults are scikit-learn's (and openTSNE's) for a 2-D embedding.</summary>
public sealed record TsneOptions
{
    /// <summary>Effective number of neighbours each point's input affinities are calibrated to.</summary>
    public double Perplexity { get; init; } = 30;
    /// <summary>Total gradient-descent iterations, early exaggeration included.</summary>
    public int Iterations { get; init; } = 1000;
    /// <summary>Factor on the attractive forces during the first <see cref="ExaggerationIterations"/>.</summary>
    public double EarlyExaggeration { get; init; } = 12;
    /// <summary>Iterations with early exaggeration (and momentum <see cref="InitialMomentum"/>).</summary>
    public int ExaggerationIterations { get; init; } = 250;
    /// <summary>Momentum during early exaggeration.</summary>
    public double InitialMomentum { get; init; } = 0.5;
    /// <summary>Momentum afterwards.</summary>
    public double FinalMomentum { get; init; } = 0.8;
    /// <summary>Learning rate; null for <c>auto</c> = max(N / exaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Barnes-Hut accuracy: a cell of width w at distance d is summarised when w / d &lt; theta (0: exact).</summary>
    public double Theta { get; init; } = 0.5;
    /// <summary>How the repulsive forces are computed.</summary>
    public TsneRepulsion Repulsion { get; init; } = TsneRepulsion.Auto;
    /// <summary>
    /// With <see cref="TsneRepulsion.Auto"/>, the FFT method is used from this many points on. At the assignment's
    /// 20,000 points both methods take the same time and Barnes-Hut ends with a lower KL (as scikit-learn's); the
    /// FFT's cost grows more slowly with the number of points.
    /// </summary>
    public int FftFromPoints { get; init; } = 50_000;
    /// <summary>Starting layout.</summary>
    public TsneInitialization Initialization { get; init; } = TsneInitialization.Pca;
    /// <summary>Seed for a random initialisation.</summary>
    public long Seed { get; init; } = Training.TrainingDefaults.Seed;
    /// <summary>
    /// Worker threads for the per-point loops (0: one per <see cref="PointsPerThread"/> points, at most one per core).
    /// The iterations never use more threads than cores, whatever is asked (their helpers wait spinning and would take a
    /// core from one that works); the affinities take the number as given. The result depends only on the seed.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// Points each thread gets at least when <see cref="Threads"/> is 0: a smaller map's iterations are too short to
    /// share (1,000 points: the same time on one thread as on two, for two thirds of the CPU; bench tsne).
    /// </summary>
    public const int PointsPerThread = 2500;

    /// <summary>The threads an embedding of <paramref name="points"/> points uses.</summary>
    public int ThreadsFor(int points) => Threads > 0 ? Threads : Math.Clamp(points / PointsPerThread, 1, Environment.ProcessorCount);
    /// <summary>Report the KL divergence every this many iterations.</summary>
    public int ReportEvery { get; init; } = 50;

    /// <summary>Neighbours used for the input affinities: 3 x perplexity, as scikit-learn and openTSNE do.</summary>
    public int Neighbors(int points) => Math.Min(points - 1, (int)Math.Floor(3 * Perplexity + 1));

    /// <summary>The repulsion method used for <paramref name="points"/> points (<see cref="TsneRepulsion.Auto"/> resolved).</summary>
    public TsneRepulsion RepulsionFor(int points) =>
        Repulsion != TsneRepulsion.Auto ? Repulsion : points >= FftFromPoints ? TsneRepulsion.Fft : TsneRepulsion.BarnesHut;

    /// <summary>The learning rate for <paramref name="points"/> points.</summary>
    public double LearningRateFor(int points) => LearningRate ?? Math.Max(points / EarlyExaggeration / 4, 50);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for settings no embedding can use.</summary>
    public void Validate(int points)
    {
        if (points < 3) throw new ArgumentOutOfRangeException(nameof(points), points, "t-SNE needs at least 3 points.");
        if (!(Perplexity > 0) || Perplexity >= points) throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity, $"Perplexity must be positive and below the number of points ({points}).");
        if (Iterations < 0 || ExaggerationIterations < 0) throw new ArgumentOutOfRangeException(nameof(Iterations), "Iteration counts must be 0 or more.");
        if (!(Theta >= 0)) throw new ArgumentOutOfRangeException(nameof(Theta), Theta, "Theta must be 0 or more.");
        if (LearningRate is { } rate && !(rate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), rate, "Learning rate must be positive.");
        if (!Enum.IsDefined(Repulsion)) throw new ArgumentOutOfRangeException(nameof(Repulsion), Repulsion, "Unknown repulsion method.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 0 or more.");
    }
}
