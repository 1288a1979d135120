using System.Text.Json.Nodes;

namespace AutoencoderLab.Grading;

/// <summary>One student's notebook on its way through the autograde steps; each step reads and adds to it.</summary>
public sealed class SubmittedNotebook(string student, CourseNotebook course, string path)
{
    /// <summary>The student's folder name.</summary>
    public string Student { get; } = student;

    /// <summary>The instructor notebook it answers.</summary>
    public CourseNotebook Course { get; } = course;

    /// <summary>The submitted file.</summary>
    public string Path { get; } = path;

    /// <summary>The notebook as it will run (after <see cref="ReadSubmission"/>; locked cells restored by <see cref="OverwriteLockedCells"/>).</summary>
    public JsonObject? Notebook { get; set; }

    /// <summary>Why the file cannot be graded (not JSON, not a notebook, not this course's), if so.</summary>
    public string? Invalid { get; set; }

    /// <summary>Locked or check cells the student changed or removed, by grade id, with what happened to them.</summary>
    public Dictionary<string, string> Changed { get; } = [];

    /// <summary>The kernel's run, once executed.</summary>
    public KernelRun? Run { get; set; }
}
