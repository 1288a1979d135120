namespace AutoencoderLab;

/// <summary>Summary numbers the library reports (median epoch times and the like).</summary>
public static class Statistics
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count), or null when there are none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
