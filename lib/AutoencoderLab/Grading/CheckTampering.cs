using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>
/// Compares every locked cell (check cells are locked) of the submission with what the student received (the release's checksums,
/// nbgrader's algorithm) and records the ones changed or removed (nbgrader's checksum check).
/// </summary>
public static class CheckTampering
{
    /// <summary>Fills <see cref="SubmittedNotebook.Changed"/>.</summary>
    public static void Apply(SubmittedNotebook submission)
    {
        if (submission.Notebook is not { } notebook) return;
        var submitted = NotebookCells.Of(notebook).Where(c => CourseNotebook.GradeId(c) is not null)
            .GroupBy(c => CourseNotebook.GradeId(c)!).ToDictionary(g => g.Key, g => g.First());
        foreach (var released in NotebookCells.Of(submission.Course.Release))
        {
            // Solution cells are the student's to change; locked cells (check cells are locked) are not.
            if (CourseNotebook.Grading(released) is not { } grading || grading["checksum"]?.GetValue<string>() is not { } checksum
                || CourseNotebook.Flag(grading, "solution") || !(CourseNotebook.Flag(grading, "locked") || CourseNotebook.Flag(grading, "grade"))) continue;
            var id = grading["grade_id"]!.GetValue<string>();
            if (!submitted.TryGetValue(id, out var cell)) submission.Changed[id] = "removed";
            else if (!Same(cell, checksum)) submission.Changed[id] = "changed";
        }
    }

    static bool Same(JsonObject cell, string checksum)
    {
        // Editors on Windows save CRLF line ends: that is not a change.
        var copy = cell.DeepClone().AsObject();
        NotebookCells.SetSource(copy, NotebookCells.Source(cell).Replace("\r\n", "\n", StringComparison.Ordinal));
        return ComputeChecksums.Of(copy) == checksum; // null (mangled: no cell type, points that are no number) matches nothing
    }
}
