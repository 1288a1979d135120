namespace AutoencoderLab.Embedding;

/// <summary>
/// t-SNE's repulsive forces sum_j w_ij^2 (y_i - y_j) and normalisation Z = sum_{i != j} w_ij, w = 1 / (1 + d^2), by
/// FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019; openTSNE's "fft" method): the square around the
/// embedding is cut into boxes at most <c>intervalWidth</c> wide, each with p x p Lagrange interpolation nodes; every
/// point spreads its charges (1, x, y) onto its box's nodes, the kernels are applied between all nodes of the regular
/// grid at once as a convolution (FFT), and each point reads its potentials back with the same weights.
/// O(N p^2 + G log G) for G grid nodes instead of O(N^2). The forces use the kernel w^2 on the charges 1, x, y;
/// Z uses w on the charge 1, and only its total is needed, so it is read off the spectrum (Parseval) with no
/// inverse transform. Each point's sums are formed in a fixed order, so results do not depend on the thread count.
/// </summary>
internal sealed class FftRepulsion
{
    /// <summary>openTSNE's defaults: 3 nodes per box side, at least 50 boxes per side, boxes 1 unit wide.</summary>
    public const int DefaultInterpolationPoints = 3, DefaultMinIntervals = 50;
    /// <summary>At most this many boxes per side (openTSNE allows 1000): bounds the grid's memory for runaway layouts.</summary>
    public const int MaxIntervals = 500;
    const int SpreadChunks = 16; // fixed, so that spreading sums in the same order whatever the thread count

    readonly int nodesPerBox, minIntervals;
    readonly double intervalWidth;
    readonly WorkerTeam team;
    readonly double[] nodeOffsets, denominators; // node positions in a unit box and their Lagrange denominators

    const int PointsPerItem = 2048; // points a thread takes at a time
    const double GridHeadroom = 1.05, GridSlack = 1.3; // a new grid covers 5 % more than the layout; kept until 30 % too wide
    Fft2D<float>? fft; // single precision: half the bytes per pass, twice the lanes; sums over points stay in double
    double covered, kernelSpacing = double.NaN; // the grid's side in layout units; the spacing its kernel spectrum is for
    float[] aRe = [], aIm = [], bRe = [], bIm = [], kernelRe = [], kernelIm = [];
    int[] cell = [], boxRow = [], order = [], rowStart = [];
    double[] rowZ = []; // each grid row's share of Z, summed in row order
    double[] weightX = [], weightY = [];

    /// <summary>
    /// <paramref name="interpolationPoints"/> nodes per box side, boxes at most <paramref name="intervalWidth"/> wide
    /// and at least <paramref name="minIntervals"/> of them across the layout (more boxes: more accuracy, bigger transforms).
    /// </summary>
    public FftRepulsion(int interpolationPoints = DefaultInterpolationPoints, int minIntervals = DefaultMinIntervals, double intervalWidth = 1, WorkerTeam? team = null)
    {
        if (interpolationPoints < 1) throw new ArgumentOutOfRangeException(nameof(interpolationPoints), interpolationPoints, "At least one node per box side.");
        if (minIntervals < 1 || minIntervals > MaxIntervals) throw new ArgumentOutOfRangeException(nameof(minIntervals), minIntervals, $"Between 1 and {MaxIntervals} boxes per side.");
        if (!(intervalWidth > 0)) throw new ArgumentOutOfRangeException(nameof(intervalWidth), intervalWidth, "Boxes must have a positive width.");
        nodesPerBox = interpolationPoints;
        this.minIntervals = minIntervals;
        this.intervalWidth = intervalWidth;
        this.team = team ?? new WorkerTeam(Environment.ProcessorCount);
        // Nodes at the centres of p equal sub-intervals of the box (never on its edges, as in FIt-SNE).
        nodeOffsets = [.. Enumerable.Range(0, nodesPerBox).Select(t => (t + 0.5) / nodesPerBox)];
        denominators = new double[nodesPerBox];
        for (int t = 0; t < nodesPerBox; t++)
        {
            denominators[t] = 1;
            for (int s = 0; s < nodesPerBox; s++) if (s != t) denominators[t] *= nodeOffsets[t] - nodeOffsets[s];
        }
    }

    /// <summary>Boxes per side in the last <see cref="Compute"/>.</summary>
    public int Intervals { get; private set; }

    /// <summary>Side of the FFT grid in the last <see cref="Compute"/>.</summary>
    public int GridSize => fft?.Size ?? 0;

    /// <summary>
    /// Writes sum_j w_ij^2 (y_i - y_j) into repulsion[2i, 2i + 1] for the <paramref name="n"/> points
    /// y = [x0, y0, x1, y1, ...] and returns Z = sum_{i != j} w_ij.
    /// </summary>
    public double Compute(double[] y, int n, double[] repulsion)
    {
        double min = double.MaxValue, max = double.MinValue;
        for (int d = 0; d < 2 * n; d++) { min = Math.Min(min, y[d]); max = Math.Max(max, y[d]); }
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException("The embedding has a non-finite coordinate.", nameof(y));
        double extent = Math.Max(max - min, 1e-12 * Math.Max(1, Math.Abs(min))); // all points equal: any small box works

        int p = nodesPerBox;
        // The grid is kept while it covers the layout and is not much too wide (hysteresis), so the kernels' transform,
        // which depends only on the grid's size and spacing, is reused for many iterations instead of redone each one.
        if (!(extent <= covered && extent * GridSlack >= covered)) ChooseGrid(extent);
        int size = fft!.Size, boxes = Intervals, used = p * boxes;
        double boxWidth = covered / boxes, spacing = boxWidth / p;
        double centre = (min + max) / 2; // charges x, y taken about the centre: smaller terms to cancel in y_i phi0 - phi1
        PrepareGrid(n, spacing);

        // 1. Each point's box and interpolation weights (Lagrange polynomials through the box's nodes).
        team.RunInSlices(n, PointsPerItem, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                int bx = Math.Min((int)((y[2 * i] - min) / boxWidth), boxes - 1);
                int by = Math.Min((int)((y[2 * i + 1] - min) / boxWidth), boxes - 1);
                Lagrange((y[2 * i] - min) / boxWidth - bx, weightX.AsSpan(i * p, p));
                Lagrange((y[2 * i + 1] - min) / boxWidth - by, weightY.AsSpan(i * p, p));
                cell[i] = by * p * size + bx * p; // grid index of the box's first node
                boxRow[i] = by;
            }
        });

        // 2. Spread the charges onto the nodes: A = sum V (x + i y), B = sum V. Points are bucketed by box row (stably),
        //    and chunks of box rows own disjoint grid rows, so the chunks run in parallel and each node's sum is in
        //    point-index order.
        Array.Clear(rowStart, 0, boxes + 1);
        for (int i = 0; i < n; i++) rowStart[boxRow[i] + 1]++;
        for (int r = 0; r < boxes; r++) rowStart[r + 1] += rowStart[r];
        var fill = rowStart.AsSpan(0, boxes).ToArray();
        for (int i = 0; i < n; i++) order[fill[boxRow[i]]++] = i;
        int rowsPerChunk = (boxes + SpreadChunks - 1) / SpreadChunks;
        team.Run(SpreadChunks, (chunk, _) =>
        {
            int firstBox = Math.Min(boxes, chunk * rowsPerChunk), endBox = Math.Min(boxes, firstBox + rowsPerChunk);
            for (int r = firstBox * p; r < endBox * p; r++)
            {
                aRe.AsSpan(r * size, used).Clear(); aIm.AsSpan(r * size, used).Clear();
                bRe.AsSpan(r * size, used).Clear();
            }
            for (int e = rowStart[firstBox]; e < rowStart[endBox]; e++)
            {
                int i = order[e];
                double qx = y[2 * i] - centre, qy = y[2 * i + 1] - centre;
                for (int s = 0; s < p; s++)
                    for (int t = 0; t < p; t++)
                    {
                        int g = cell[i] + s * size + t;
                        double v = weightY[i * p + s] * weightX[i * p + t];
                        bRe[g] += (float)v; aRe[g] += (float)(v * qx); aIm[g] += (float)(v * qy);
                    }
            }
        });
        bIm.AsSpan(0, used * size).Clear();

        // 3. Spectra of the charges.
        fft!.Forward(aRe, aIm, used);
        fft.Forward(bRe, bIm, used);

        // 4. Convolve (multiply the spectra by K2's) and Z = sum_g B_g (K1 * B)_g = sum_f |B^_f|^2 K1^_f / L^2 - N (self terms).
        if (rowZ.Length != size) rowZ = new double[size];
        team.Run(size, (r, _) =>
        {
            double z = 0;
            for (int c = r * size; c < (r + 1) * size; c++)
            {
                double k1 = kernelRe[c];
                float k2 = kernelIm[c];
                z += ((double)bRe[c] * bRe[c] + (double)bIm[c] * bIm[c]) * k1;
                aRe[c] *= k2; aIm[c] *= k2; bRe[c] *= k2; bIm[c] *= k2;
            }
            rowZ[r] = z;
        });
        double scale = 1.0 / ((double)size * size), total = 0;
        for (int r = 0; r < size; r++) total += rowZ[r]; // in row order
        fft.Inverse(aRe, aIm, used);
        fft.Inverse(bRe, bIm, used);

        // 5. Each point's potentials phi0 = sum_j w_ij^2, (phi1, phi2) = sum_j w_ij^2 (x_j, y_j), read with its weights.
        team.RunInSlices(n, PointsPerItem, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                double phi0 = 0, phi1 = 0, phi2 = 0;
                for (int s = 0; s < p; s++)
                    for (int t = 0; t < p; t++)
                    {
                        int g = cell[i] + s * size + t;
                        double v = weightY[i * p + s] * weightX[i * p + t];
                        phi0 += v * bRe[g]; phi1 += v * aRe[g]; phi2 += v * aIm[g];
                    }
                double qx = y[2 * i] - centre, qy = y[2 * i + 1] - centre;
                repulsion[2 * i] = (qx * phi0 - phi1) * scale;
                repulsion[2 * i + 1] = (qy * phi0 - phi2) * scale;
            }
        });
        return total * scale - n;
    }

    /// <summary>
    /// Picks boxes at most <c>intervalWidth</c> wide, at least <c>minIntervals</c> of them across the layout, covering
    /// a little more than <paramref name="extent"/>; the FFT side L >= 2 p boxes is rounded up to a product of 2, 3, 5
    /// and the slack goes into more boxes.
    /// </summary>
    void ChooseGrid(double extent)
    {
        int p = nodesPerBox;
        double target = extent * GridHeadroom;
        double width = Math.Min(intervalWidth, target / minIntervals);
        int wanted = (int)Math.Min(MaxIntervals, Math.Ceiling(target / width));
        if (wanted == MaxIntervals) width = target / wanted; // a runaway layout: wider boxes rather than a huge grid
        int size = Fft2D.NextSmooth(2 * p * wanted);
        Intervals = size / (2 * p);
        covered = Intervals * width;
        if (fft?.Size != size)
        {
            fft = new Fft2D<float>(size, team);
            int cells = size * size;
            aRe = new float[cells]; aIm = new float[cells]; bRe = new float[cells]; bIm = new float[cells];
            kernelRe = new float[cells]; kernelIm = new float[cells];
        }
        kernelSpacing = double.NaN; // spectrum to be recomputed
    }

    void PrepareGrid(int n, double spacing)
    {
        if (cell.Length != n)
        {
            cell = new int[n]; boxRow = new int[n]; order = new int[n];
            weightX = new double[n * nodesPerBox]; weightY = new double[n * nodesPerBox];
        }
        int size = fft!.Size, used = nodesPerBox * Intervals;
        if (rowStart.Length < size + 1) rowStart = new int[size + 1];
        if (spacing == kernelSpacing) return;
        // Kernels between nodes, laid out as circulants: K1 = w in the real part, K2 = w^2 in the imaginary part.
        // Both are even in each axis, so their transforms are real and one complex transform gives both.
        team.Run(size, (a, _) =>
        {
            int da = a < used ? a : a > size - used ? size - a : -1;
            var rowRe = kernelRe.AsSpan(a * size, size);
            var rowIm = kernelIm.AsSpan(a * size, size);
            for (int b = 0; b < size; b++)
            {
                int db = b < used ? b : b > size - used ? size - b : -1;
                if (da < 0 || db < 0) { rowRe[b] = rowIm[b] = 0; continue; }
                double w = 1 / (1 + spacing * spacing * ((double)da * da + (double)db * db));
                rowRe[b] = (float)w; rowIm[b] = (float)(w * w);
            }
        });
        fft.Forward(kernelRe, kernelIm, size);
        kernelSpacing = spacing;
    }

    /// <summary>The Lagrange basis polynomials through the box's nodes at <paramref name="u"/> (position in the box, 0-1).</summary>
    void Lagrange(double u, Span<double> weights)
    {
        for (int t = 0; t < nodesPerBox; t++)
        {
            double v = 1;
            for (int s = 0; s < nodesPerBox; s++) if (s != t) v *= u - nodeOffsets[s];
            weights[t] = v / denominators[t];
        }
    }
}
