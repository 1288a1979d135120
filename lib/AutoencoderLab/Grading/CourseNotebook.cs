using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>
/// An instructor notebook as the grader needs it: its source (solutions, hidden tests, points) and the student release
/// made from it now, whose checksums say what a student received. The release is computed, not read from the student's
/// file, so a student cannot change a check cell and its checksum together.
/// </summary>
public sealed class CourseNotebook
{
    CourseNotebook(string name, JsonObject source, JsonObject release)
    {
        Name = name;
        Source = source;
        Release = release;
    }

    /// <summary>The file name without .ipynb, e.g. <c>02-training</c>.</summary>
    public string Name { get; }

    /// <summary>The instructor's notebook.</summary>
    public JsonObject Source { get; }

    /// <summary>What students received (solutions stubbed, hidden tests removed, checksums recorded).</summary>
    public JsonObject Release { get; }

    /// <summary>The check cells: grade id and points, in notebook order.</summary>
    public IReadOnlyList<(string GradeId, double Points)> Checks =>
        NotebookCells.Of(Source).Select(Grading).OfType<JsonObject>().Where(g => Flag(g, "grade"))
            .Select(g => (g["grade_id"]!.GetValue<string>(), g["points"]?.GetValue<double>() ?? 0)).ToList();

    /// <summary>Points available.</summary>
    public double MaxPoints => Checks.Sum(c => c.Points);

    /// <summary>
    /// The release with the instructor's answers in its answer cells: what a student who solved everything hands in
    /// (the grading benchmark's class, and the tests' full-marks student).
    /// </summary>
    public JsonObject Solved()
    {
        var solved = Release.DeepClone().AsObject();
        var answers = NotebookCells.Of(Source).Where(c => Grading(c) is { } g && Flag(g, "solution")).ToDictionary(c => GradeId(c)!, NotebookCells.Source);
        foreach (var cell in NotebookCells.Of(solved))
            if (GradeId(cell) is { } id && answers.TryGetValue(id, out var answer)) NotebookCells.SetSource(cell, answer);
        return solved;
    }

    /// <summary>The instructor notebooks (<c>*.ipynb</c>) of <paramref name="folder"/>, in name order.</summary>
    public static IReadOnlyList<CourseNotebook> LoadAll(string folder)
    {
        var paths = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];
        if (paths.Count == 0) throw new AutoencoderLabException($"No instructor notebooks (*.ipynb) in {folder}.");
        return paths.Select(Load).ToList();
    }

    /// <summary>One instructor notebook.</summary>
    public static CourseNotebook Load(string path)
    {
        var text = File.ReadAllText(path);
        var release = JsonNode.Parse(ReleasePipeline.Student.Apply(text, path))!.AsObject();
        return new CourseNotebook(Path.GetFileNameWithoutExtension(path), JsonNode.Parse(text)!.AsObject(), release);
    }

    // A student's editor can leave any shape: metadata, ids and flags of the wrong type count as absent.

    /// <summary>The cell's nbgrader metadata, if any.</summary>
    public static JsonObject? Grading(JsonObject cell) => cell["metadata"] is JsonObject metadata ? metadata["nbgrader"] as JsonObject : null;

    /// <summary>The cell's nbgrader grade id, if any (a grade id that is not a string is none).</summary>
    public static string? GradeId(JsonObject cell) => Grading(cell)?["grade_id"] is JsonValue id && id.TryGetValue(out string? text) ? text : null;

    /// <summary>True when nbgrader's flag <paramref name="name"/> (grade, solution, locked) is set to true.</summary>
    public static bool Flag(JsonObject grading, string name) => grading[name] is JsonValue flag && flag.TryGetValue(out bool set) && set;
}
