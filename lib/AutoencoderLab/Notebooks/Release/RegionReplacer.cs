using System.Text.Json.Nodes;
using System.Text;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>Finds <c>// BEGIN X</c> ... <c>// END X</c> regions in C# source and replaces each, keeping its indentation.</summary>
internal static class RegionReplacer
{
    /// <summary>Replaces <paramref name="region"/> in every cell that has one (code cells only when <paramref name="codeOnly"/>).</summary>
    public static void ReplaceInCells(JsonObject notebook, string region, Func<string, IEnumerable<string>> replacement, bool codeOnly)
    {
        int index = 0;
        foreach (var cell in NotebookCells.Of(notebook))
        {
            index++;
            if (codeOnly && !NotebookCells.IsCode(cell)) continue;
            var source = NotebookCells.Source(cell);
            if (!source.Contains($"// BEGIN {region}", StringComparison.Ordinal)) continue;
            NotebookCells.SetSource(cell, Replace(source, region, replacement, $"cell {index}"));
        }
    }

    public static string Replace(string source, string region, Func<string, IEnumerable<string>> replacement, string where)
    {
        var output = new StringBuilder();
        var lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed == $"// BEGIN {region}")
            {
                var indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == $"// END {region}");
                if (end < 0) throw new AutoencoderLabException($"{where}: '// BEGIN {region}' on line {i + 1} has no '// END {region}'.");
                foreach (var line in replacement(indent)) output.Append(line).Append('\n');
                i = end;
                continue;
            }
            if (trimmed == $"// END {region}") throw new AutoencoderLabException($"{where}: '// END {region}' on line {i + 1} has no '// BEGIN {region}'.");
            output.Append(lines[i]);
            if (i < lines.Length - 1) output.Append('\n');
        }
        var text = output.ToString();
        return source.EndsWith('\n') || !text.EndsWith('\n') ? text : text[..^1];
    }
}
