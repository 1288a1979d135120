using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>Empties every code cell's outputs and execution count, and drops the runner's provenance stamp (nbgrader's ClearOutput).</summary>
public sealed class ClearOutputs : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook)
    {
        foreach (var cell in NotebookCells.Of(notebook).Where(NotebookCells.IsCode))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
            (cell["metadata"] as JsonObject)?.Remove("aelab");
        }
    }
}
