using System.Text.Json;
using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>Reads the submitted file: a notebook (JSON, nbformat 4, cells) holding cells of the course's notebook, or a reason why not.</summary>
public static class ReadSubmission
{
    /// <summary>Sets <see cref="SubmittedNotebook.Notebook"/>, or <see cref="SubmittedNotebook.Invalid"/> with the reason.</summary>
    public static void Apply(SubmittedNotebook submission)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(submission.Path)); }
        catch (JsonException e) { submission.Invalid = $"not JSON (truncated or corrupt?): {e.Message}"; return; }
        catch (IOException e) { submission.Invalid = $"cannot be read: {e.Message}"; return; }
        if (node is not JsonObject notebook || notebook["cells"] is not JsonArray cells || cells.Any(c => c is not JsonObject))
        {
            submission.Invalid = "not a notebook: no list of cells";
            return;
        }
        if (notebook["nbformat"] is not JsonValue format || !format.TryGetValue<int>(out var version) || version != 4)
        {
            submission.Invalid = "not a notebook in format 4 (nbformat)";
            return;
        }
        var ours = NotebookCells.Of(submission.Course.Source).Select(CourseNotebook.GradeId).OfType<string>().ToHashSet();
        if (!NotebookCells.Of(notebook).Any(c => CourseNotebook.GradeId(c) is { } id && ours.Contains(id)))
        {
            submission.Invalid = $"not this course's {submission.Course.Name}: none of its cells ({string.Join(", ", ours)}) is there";
            return;
        }
        submission.Notebook = notebook;
    }
}
