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
    /// <paramref name="perplexity"/> (binary search on the precision, as scikit-learn does), then symmetrises.
    /// </summary>
    public static Affinities FromNeighbors(int[] neighbors, float[] squaredDistances, int points, int k, double perplexity, ParallelOptions? parallel = null)
    {
        var conditional = new double[points * k];
        Parallel.For(0, points, parallel ?? new ParallelOptions(), i =>
            Calibrate(squaredDistances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k)));

        // P + P^T as triplets, then rows sorted by column with duplicates merged.
        var rowCounts = new int[points + 1];
        for (int i = 0; i < points; i++)
            for (int e = 0; e < k; e++) { rowCounts[i]++; rowCounts[neighbors[i * k + e]]++; }
        var start = new int[points + 1];
        for (int i = 0; i < points; i++) start[i + 1] = start[i] + rowCounts[i];
        var fill = (int[])start.Clone();
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

        var mergedStart = new int[points + 1];
        var mergedColumns = new List<int>(columns.Length);
        var mergedValues = new List<double>(columns.Length);
        double total = 0;
        for (int i = 0; i < points; i++)
        {
            Array.Sort(columns, values, start[i], start[i + 1] - start[i]);
            for (int e = start[i]; e < start[i + 1]; e++)
            {
                if (mergedColumns.Count > mergedStart[i] && mergedColumns[^1] == columns[e]) mergedValues[^1] += values[e];
                else { mergedColumns.Add(columns[e]); mergedValues.Add(values[e]); }
                total += values[e];
            }
            mergedStart[i + 1] = mergedColumns.Count;
        }
        var normalised = mergedValues.Select(v => v / total).ToArray();
        return new Affinities(points, mergedStart, mergedColumns.ToArray(), normalised);
    }

    /// <summary>
    /// Fills <paramref name="probabilities"/> with exp(-beta d) / sum, beta chosen so that the entropy equals
    /// log(perplexity) (natural log) within 1e-5, at most 100 bisection steps. Returns the entropy reached.
    /// </summary>
    public static double Calibrate(ReadOnlySpan<float> squaredDistances, double perplexity, Span<double> probabilities)
    {
        double target = Math.Log(perplexity), beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity, entropy = 0;
        for (int step = 0; step < 100; step++)
        {
            double sum = 0;
            for (int j = 0; j < squaredDistances.Length; j++) sum += probabilities[j] = Math.Exp(-squaredDistances[j] * beta);
            if (sum == 0) sum = 1e-8;
            double weighted = 0;
            for (int j = 0; j < squaredDistances.Length; j++) { probabilities[j] /= sum; weighted += squaredDistances[j] * probabilities[j]; }
            entropy = Math.Log(sum) + beta * weighted;
            double difference = entropy - target;
            if (Math.Abs(difference) <= 1e-5) break;
            if (difference > 0) { low = beta; beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2; }
            else { high = beta; beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2; }
        }
        return entropy;
    }
}
