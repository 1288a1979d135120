using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>Drops every <c>// BEGIN HIDDEN TESTS</c> ... <c>// END HIDDEN TESTS</c> region (nbgrader's hidden tests).</summary>
public sealed class RemoveHiddenTests : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook) => RegionReplacer.ReplaceInCells(notebook, "HIDDEN TESTS", _ => [], codeOnly: false);
}
