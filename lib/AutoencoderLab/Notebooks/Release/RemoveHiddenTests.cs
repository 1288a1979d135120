using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>Drops every <c>// BEGIN HIDDEN TESTS</c> ... <c>// END HIDDEN TESTS</c> region (nbgrader's hidden tests).</summary>
public sealed class RemoveHiddenTests : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook)
    {
        int index = 0;
        foreach (var cell in NotebookCells.Of(notebook))
        {
            index++;
            var source = NotebookCells.Source(cell);
            if (!source.Contains("// BEGIN HIDDEN TESTS", StringComparison.Ordinal)) continue;
            NotebookCells.SetSource(cell, RegionReplacer.Replace(source, "HIDDEN TESTS", _ => [], $"cell {index}"));
        }
    }
}
