using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>
/// Replaces every <c>// BEGIN SOLUTION</c> ... <c>// END SOLUTION</c> region with a stub that compiles and says
/// what to do: <c>// YOUR CODE HERE</c> and <c>throw new NotImplementedException();</c> (nbgrader's ClearSolutions).
/// </summary>
public sealed class ClearSolutions : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook)
    {
        int index = 0;
        foreach (var cell in NotebookCells.Of(notebook))
        {
            index++;
            if (!NotebookCells.IsCode(cell)) continue;
            var source = NotebookCells.Source(cell);
            if (!source.Contains("// BEGIN SOLUTION", StringComparison.Ordinal)) continue;
            NotebookCells.SetSource(cell, RegionReplacer.Replace(source, "SOLUTION",
                indent => [$"{indent}// YOUR CODE HERE", $"{indent}throw new NotImplementedException();"], $"cell {index}"));
        }
    }
}
