using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>
/// Turns instructor notebooks (solutions inside <c>// BEGIN SOLUTION</c> regions, nbgrader metadata) into student
/// notebooks: a fixed sequence of small transformations, each one concept. Metadata is kept as it is.
/// </summary>
public sealed class ReleasePipeline(IReadOnlyList<INotebookTransform> transforms)
{
    /// <summary>The student release: clear solutions, remove hidden tests, clear outputs, then checksum the cells a student must not change.</summary>
    public static ReleasePipeline Student { get; } = new([new ClearSolutions(), new RemoveHiddenTests(), new ClearOutputs(), new ComputeChecksums()]);

    /// <summary>The transformations, in order.</summary>
    public IReadOnlyList<INotebookTransform> Transforms { get; } = transforms;

    /// <summary>The student version of the notebook text <paramref name="ipynb"/>.</summary>
    public string Apply(string ipynb, string source = "notebook")
    {
        JsonObject notebook;
        try { notebook = JsonNode.Parse(ipynb)?.AsObject() ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new AutoencoderLabException($"{source}: not a notebook ({e.Message})", e); }
        foreach (var transform in Transforms) transform.Apply(notebook);
        return NotebookCells.Serialize(notebook);
    }

    /// <summary>Writes the student version of each instructor notebook in <paramref name="sourceDirectory"/> into <paramref name="targetDirectory"/>.</summary>
    public IReadOnlyList<string> ReleaseAll(string sourceDirectory, string targetDirectory)
    {
        Directory.CreateDirectory(targetDirectory);
        var written = new List<string>();
        foreach (var path in Directory.GetFiles(sourceDirectory, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(targetDirectory, Path.GetFileName(path));
            var text = Apply(File.ReadAllText(path), path);
            AtomicFile.Write(target, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));
            written.Add(target);
        }
        return written;
    }

    /// <summary>Student notebooks that differ from what <see cref="ReleaseAll"/> would write now (missing ones included).</summary>
    public IReadOnlyList<string> Stale(string sourceDirectory, string targetDirectory) =>
        Directory.GetFiles(sourceDirectory, "*.ipynb").Order(StringComparer.Ordinal)
            .Where(path =>
            {
                var target = Path.Combine(targetDirectory, Path.GetFileName(path));
                return !File.Exists(target) || File.ReadAllText(target) != Apply(File.ReadAllText(path), path);
            })
            .Select(path => Path.Combine(targetDirectory, Path.GetFileName(path)))
            .ToList();
}
