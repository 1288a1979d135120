namespace AutoencoderLab.Reproduction;

/// <summary>How one measure (a loss, an accuracy, a count) spreads over the seeds of a sweep.</summary>
/// <param name="Count">Seeds measured.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StandardDeviation">Sample standard deviation (n - 1); 0 for a single seed.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
public sealed record Spread(int Count, double Mean, double StandardDeviation, double Min, double Max)
{
    /// <summary>The spread of <paramref name="values"/>; throws <see cref="ArgumentException"/> when there are none.</summary>
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to summarise", nameof(values));
        double mean = values.Average();
        double variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new Spread(values.Count, mean, Math.Sqrt(variance), values.Min(), values.Max());
    }
}
