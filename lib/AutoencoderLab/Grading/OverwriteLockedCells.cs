using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>
/// Puts the instructor's version of every locked and check cell into the submission (nbgrader's OverwriteCells): the
/// hidden tests come back, and a changed check is run as written, not as the student left it.
/// </summary>
public static class OverwriteLockedCells
{
    /// <summary>Restores the cells in <see cref="SubmittedNotebook.Notebook"/>.</summary>
    public static void Apply(SubmittedNotebook submission)
    {
        if (submission.Notebook is not { } notebook) return;
        var originals = NotebookCells.Of(submission.Course.Source)
            .Where(c => CourseNotebook.Grading(c) is { } g && (CourseNotebook.Flag(g, "locked") || CourseNotebook.Flag(g, "grade")))
            .ToDictionary(c => CourseNotebook.GradeId(c)!);
        foreach (var cell in NotebookCells.Of(notebook))
        {
            if (CourseNotebook.GradeId(cell) is not { } id || !originals.TryGetValue(id, out var original)) continue;
            NotebookCells.SetSource(cell, NotebookCells.Source(original));
            cell["cell_type"] = original["cell_type"]!.DeepClone();
            cell["metadata"]!.AsObject()["nbgrader"] = CourseNotebook.Grading(original)!.DeepClone();
        }
    }
}
