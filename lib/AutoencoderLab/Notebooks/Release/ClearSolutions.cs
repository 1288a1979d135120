using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>
/// Replaces every <c>// BEGIN SOLUTION</c> ... <c>// END SOLUTION</c> region with a stub that compiles and says
/// what to do: <c>// YOUR CODE HERE</c> and <c>throw new NotImplementedException();</c> (nbgrader's ClearSolutions).
/// </summary>
public sealed class ClearSolutions : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook) =>
        RegionReplacer.ReplaceInCells(notebook, "SOLUTION",
            indent => [$"{indent}// YOUR CODE HERE", $"{indent}throw new NotImplementedException();"], codeOnly: true);
}
