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

        // P + P^T as triplets, then each row sorted by column with its duplicates merged (a column appears at most
        // twice in a row: as a neighbour of the point and as a point the neighbour of which it is, and a + b = b + a).
        var start = new int[points + 1];
        for (int i = 0; i < points; i++)
            for (int e = 0; e < k; e++) { start[i + 1]++; start[neighbors[i * k + e] + 1]++; }
        for (int i = 0; i < points; i++) start[i + 1] += start[i];
        var fill = start[..points];
        var columns = new int[start[points]];
        var values = new double[start[points]];
        for (int i = 0; i < points; i++)
            for (int e = 0; e < k; e++)
            {
                int j = neighbors[i * k + e];
                double p = conditional[i * k + e];
                columns[fill[i]] = j; values[fill[i]++] = p;
                columns[fill[j]] = i; values[fill[j]++] = p;
            }

        // Rows in parallel: sort and merge in place, count; then copy to their final places.
        var kept = new int[points];
        var rowSums = new double[points];
        Parallel.For(0, points, parallel, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i) =>
        {
            int first = start[i], length = start[i + 1] - first, count = 0;
            Array.Sort(columns, values, first, length);
            double sum = 0;
            for (int e = first; e < first + length; e++)
            {
                if (count > 0 && columns[first + count - 1] == columns[e]) values[first + count - 1] += values[e];
                else { columns[first + count] = columns[e]; values[first + count] = values[e]; count++; }
                sum += values[e];
            }
            kept[i] = count;
            rowSums[i] = sum;
        });
        var mergedStart = new int[points + 1];
        double total = 0;
        for (int i = 0; i < points; i++) { mergedStart[i + 1] = mergedStart[i] + kept[i]; total += rowSums[i]; } // in row order
        var mergedColumns = new int[mergedStart[points]];
        var normalised = new double[mergedStart[points]];
        Parallel.For(0, points, parallel, i =>
        {
            Array.Copy(columns, start[i], mergedColumns, mergedStart[i], kept[i]);
            for (int e = 0; e < kept[i]; e++) normalised[mergedStart[i] + e] = values[start[i] + e] / total;
        });
        return new Affinities(points, mergedStart, mergedColumns, normalised);
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
