using System.Globalization;

namespace AutoencoderLab.Reproduction;

/// <summary>Parses the seeds of a sweep: <c>1-5</c>, <c>1,3,7</c>, <c>2</c> or a mix such as <c>1-3,10</c>.</summary>
public static class SeedList
{
    /// <summary>Most seeds one sweep accepts; more is almost certainly a typo (e.g. <c>1-1000</c>).</summary>
    public const int MaxSeeds = 1000;

    /// <summary>
    /// The seeds <paramref name="text"/> names, in the order given, without repeats. Throws
    /// <see cref="FormatException"/> saying which part is wrong.
    /// </summary>
    public static IReadOnlyList<long> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("no seeds given: write e.g. 1-5 or 1,3,7");
        var seeds = new List<long>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            int dash = part.IndexOf('-', 1); // from 1: a leading '-' would be a sign
            if (dash < 0)
            {
                seeds.Add(Number(part, text));
                continue;
            }
            long first = Number(part[..dash], text), last = Number(part[(dash + 1)..], text);
            if (last < first) throw new FormatException($"'{part}' in '{text}' runs backwards: write {last}-{first}");
            if (last - first >= MaxSeeds) throw new FormatException($"'{part}' in '{text}' names more than {MaxSeeds} seeds");
            for (long s = first; s <= last; s++) seeds.Add(s);
        }
        var distinct = seeds.Distinct().ToList();
        if (distinct.Count > MaxSeeds) throw new FormatException($"'{text}' names more than {MaxSeeds} seeds");
        return distinct;
    }

    static long Number(string part, string text)
    {
        if (!long.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"'{part}' in '{text}' is not a seed (a whole number 0 or more)");
        return value;
    }
}
