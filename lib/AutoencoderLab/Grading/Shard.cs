using System.Globalization;

namespace AutoencoderLab.Grading;

/// <summary>
/// One machine's share of a class: students K, K+N, K+2N, ... in name order (0-based K). Any batch scheduler (a Slurm
/// array, a CI matrix) runs N graders with K = 0..N-1; their gradebooks have the same columns and concatenate.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole class.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>K/N</c>.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && k < n)
            return new Shard(k, n);
        throw new FormatException($"--shard '{text}': use K/N with 0 <= K < N, e.g. 0/4 for the first of four machines.");
    }

    /// <summary>The items of this shard, from <paramref name="all"/> in their order.</summary>
    public IEnumerable<T> Of<T>(IEnumerable<T> all) => all.Where((_, i) => i % Count == Index);

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
