using System.Text.Json.Nodes;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Tests.Grading;

/// <summary>Builds students' notebooks as students hand them in: the release, filled in (or not), then changed as a student would.</summary>
internal sealed class ClassSubmissions(string instructorFolder, string submissionsFolder)
{
    readonly Dictionary<string, CourseNotebook> course = CourseNotebook.LoadAll(instructorFolder).ToDictionary(c => c.Name);

    /// <summary>The release as a student receives it.</summary>
    public JsonObject Blank(string notebook) => course[notebook].Release.DeepClone().AsObject();

    /// <summary>The release with every answer cell holding the instructor's solution.</summary>
    public JsonObject Solved(string notebook) => course[notebook].Solved();

    /// <summary>Replaces <paramref name="text"/> in the answer cells (it must be there).</summary>
    public static JsonObject Answer(JsonObject notebook, string text, string replacement)
    {
        var cell = NotebookCells.Of(notebook).Single(c => CourseNotebook.Grading(c) is { } g && CourseNotebook.Flag(g, "solution") && NotebookCells.Source(c).Contains(text, StringComparison.Ordinal));
        NotebookCells.SetSource(cell, NotebookCells.Source(cell).Replace(text, replacement, StringComparison.Ordinal));
        return notebook;
    }

    /// <summary>Sets the source of the cell with grade id <paramref name="gradeId"/> (a student editing a locked cell).</summary>
    public static JsonObject Edit(JsonObject notebook, string gradeId, string source)
    {
        NotebookCells.SetSource(NotebookCells.Of(notebook).Single(c => CourseNotebook.GradeId(c) == gradeId), source);
        return notebook;
    }

    /// <summary>Adds a code cell of the student's own at the end.</summary>
    public static JsonObject Append(JsonObject notebook, string source)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
        };
        NotebookCells.SetSource(cell, source);
        notebook["cells"]!.AsArray().Add(cell);
        return notebook;
    }

    /// <summary>Hands in <paramref name="notebook"/> as <c>STUDENT/NAME.ipynb</c>.</summary>
    public string Hand(string student, string name, JsonObject notebook) => Hand(student, name, NotebookCells.Serialize(notebook));

    /// <summary>Hands in any text as <c>STUDENT/NAME.ipynb</c>.</summary>
    public string Hand(string student, string name, string text)
    {
        var path = Path.Combine(submissionsFolder, student, name + ".ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
