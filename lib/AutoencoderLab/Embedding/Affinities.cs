using System.Runtime.CompilerServices;

namespace AutoencoderLab.Embedding;

/// <summary>
/// The symmetric input affinities P of t-SNE as a sparse matrix (compressed rows): p_ij = (p_j|i + p_i|j) / 2N,
/// where p_j|i is a Gaussian over i's nearest neighbours whose bandwidth makes its perplexity the one asked for.
/// </summary>
public sealed class Affinities
{
    Affinities(int points, int[] rowStart, int[] columns, double[] values)
    {
        Points = points; RowStart = rowStart; Columns = columns; Values = values;
    }

    /// <summary>Number of points.</summary>
    public int Points { get; }
    /// <summary>Row i's entries are at [RowStart[i], RowStart[i + 1]).</summary>
    public int[] RowStart { get; }
    /// <summary>Column of each entry.</summary>
    public int[] Columns { get; }
    /// <summary>p_ij of each entry; all entries sum to 1.</summary>
    public double[] Values { get; }

    /// <summary>
    /// Calibrates each point's conditional distribution over its <paramref name="k"/> neighbours to
    /// <paramref name="perplexity"/> (a search on the precision, as scikit-learn does), then symmetrises.
    /// </summary>
    // Each loop runs once per map: compiled optimised at once (tier-0 code would run most of it before tiering up).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Affinities FromNeighbors(int[] neighbors, float[] squaredDistances, int points, int k, double perplexity, ParallelOptions? parallel = null)
    {
        parallel ??= new ParallelOptions();
        var conditional = new double[points * k];
        Parallel.For(0, points, parallel, i =>
            Calibrate(squaredDistances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k)));

        // Row i of P + P^T: its own neighbours j (p_j|i) and the points j that have i among theirs (p_i|j), merged by
        // column; a column in both is one entry, p_j|i + p_i|j (a + b = b + a, so the order of the two does not matter).
        var own = (int[])neighbors.Clone();
        Parallel.For(0, points, parallel, i => own.AsSpan(i * k, k).Sort(conditional.AsSpan(i * k, k)));
        // The other side by counting: reverse[reverseStart[j] ..] lists the places e = i k + m with own[e] = j, i ascending.
        var reverseStart = new int[points + 1];
        foreach (int j in own) reverseStart[j + 1]++;
        for (int i = 0; i < points; i++) reverseStart[i + 1] += reverseStart[i];
        var fill = reverseStart[..points];
        var reverse = new int[own.Length];
        for (int e = 0; e < own.Length; e++) reverse[fill[own[e]]++] = e;

        // Each row merged twice in parallel: once for its length and its sum (in column order), once to write it.
        var kept = new int[points];
        var rowSums = new double[points];
        Parallel.For(0, points, parallel, i => (kept[i], rowSums[i]) = Merge(i, k, own, conditional, reverseStart, reverse, default, default, 1));
        var mergedStart = new int[points + 1];
        double total = 0;
        for (int i = 0; i < points; i++) { mergedStart[i + 1] = mergedStart[i] + kept[i]; total += rowSums[i]; } // in row order
        var mergedColumns = new int[mergedStart[points]];
        var normalised = new double[mergedStart[points]];
        Parallel.For(0, points, parallel, i => Merge(i, k, own, conditional, reverseStart, reverse,
            mergedColumns.AsSpan(mergedStart[i], kept[i]), normalised.AsSpan(mergedStart[i], kept[i]), total));
        return new Affinities(points, mergedStart, mergedColumns, normalised);
    }

    /// <summary>
    /// Row i of P + P^T, by column: its own neighbours own[i k ..] (ascending, values in <paramref name="conditional"/>)
    /// merged with the points listed in reverse[reverseStart[i] ..] (ascending). Writes each entry's column and value /
    /// <paramref name="total"/> when <paramref name="columns"/> is not empty; returns the row's length and its sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (int Length, double Sum) Merge(int i, int k, int[] own, double[] conditional, int[] reverseStart, int[] reverse,
        Span<int> columns, Span<double> values, double total)
    {
        int a = i * k, aEnd = a + k, b = reverseStart[i], bEnd = reverseStart[i + 1], length = 0;
        bool write = !columns.IsEmpty;
        double sum = 0;
        while (a < aEnd || b < bEnd)
        {
            int columnA = a < aEnd ? own[a] : int.MaxValue, columnB = b < bEnd ? reverse[b] / k : int.MaxValue;
            int column = Math.Min(columnA, columnB);
            double value = 0;
            if (columnA == column) value += conditional[a++];
            if (columnB == column) value += conditional[reverse[b++]];
            sum += value;
            if (write) { columns[length] = column; values[length] = value / total; }
            length++;
        }
        return (length, sum);
    }

    /// <summary>
    /// Fills <paramref name="probabilities"/> with exp(-beta d) / sum, beta chosen so that the entropy equals
    /// log(perplexity) (natural log) within 1e-5, at most 100 steps. Returns the entropy reached. Newton's method on
    /// beta (dH/dbeta = -beta Var_p(d)) inside the bisection bracket: a handful of steps where bisection from beta = 1
    /// (scikit-learn's search) takes 25-40 on image distances.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Calibrate(ReadOnlySpan<float> squaredDistances, double perplexity, Span<double> probabilities)
    {
        double target = Math.Log(perplexity), beta = 1, low = 0, high = double.PositiveInfinity, entropy = 0;
        // Distances taken from the nearest: the largest term is exp(0) = 1, so the sum cannot underflow; p is unchanged.
        double nearest = double.PositiveInfinity;
        foreach (float d in squaredDistances) nearest = Math.Min(nearest, d);
        for (int step = 0; step < 100; step++)
        {
            double sum = 0;
            for (int j = 0; j < squaredDistances.Length; j++) sum += probabilities[j] = Math.Exp(-(squaredDistances[j] - nearest) * beta);
            double mean = 0, square = 0;
            for (int j = 0; j < squaredDistances.Length; j++)
            {
                double d = squaredDistances[j] - nearest;
                probabilities[j] /= sum;
                mean += d * probabilities[j];
                square += d * d * probabilities[j];
            }
            entropy = Math.Log(sum) + beta * mean;
            double difference = entropy - target;
            if (Math.Abs(difference) <= 1e-5) break;
            if (difference > 0) low = beta; else high = beta; // the entropy falls as beta grows
            double slope = -beta * (square - mean * mean);
            double next = slope < 0 ? beta - difference / slope : double.NaN;
            if (!(next > low && next < high)) next = double.IsPositiveInfinity(high) ? beta * 2 : (low + high) / 2;
            beta = next;
        }
        return entropy;
    }
}
