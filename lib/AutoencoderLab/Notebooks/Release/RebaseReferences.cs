using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>
/// Rewrites relative <c>#r "..."</c> paths for a copy that lives <paramref name="levelsDeeper"/> folders below the source
/// (student copies go to <c>notebooks/student/</c>), so both find the same built library.
/// </summary>
public sealed class RebaseReferences(int levelsDeeper) : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook)
    {
        var prefix = string.Concat(Enumerable.Repeat("../", levelsDeeper));
        foreach (var cell in NotebookCells.Of(notebook).Where(NotebookCells.IsCode))
        {
            var source = NotebookCells.Source(cell);
            if (!source.Contains("#r \"", StringComparison.Ordinal)) continue;
            var lines = source.Split('\n').Select(line =>
                line.StartsWith("#r \"", StringComparison.Ordinal) && !line.StartsWith("#r \"nuget:", StringComparison.Ordinal) && !Path.IsPathRooted(line[4..])
                    ? "#r \"" + prefix + line[4..]
                    : line);
            NotebookCells.SetSource(cell, string.Join('\n', lines));
        }
    }
}
