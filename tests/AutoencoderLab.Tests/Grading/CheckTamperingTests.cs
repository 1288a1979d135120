using System.Text.Json.Nodes;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Grading;

/// <summary>The tamper check on notebooks an editor (or a student) left in odd shapes: each is named, none throws.</summary>
public class CheckTamperingTests
{
    static readonly CourseNotebook Course = CourseNotebook.Load(Path.Combine(TestPaths.RepositoryRoot, "notebooks", "03-centroid-classifier.ipynb"));

    // "setup" is a locked cell; "problem3-check" a graded (so locked) one.
    static IReadOnlyDictionary<string, string> Changed(Action<JsonObject> change)
    {
        var notebook = Course.Release.DeepClone().AsObject();
        change(notebook);
        var submission = new SubmittedNotebook("s", Course, "unused.ipynb") { Notebook = notebook };
        CheckTampering.Apply(submission);
        return submission.Changed;
    }

    static JsonObject Cell(JsonObject notebook, string id) => NotebookCells.Of(notebook).Single(c => CourseNotebook.GradeId(c) == id);

    [Fact]
    public void The_release_as_it_is_is_not_tampered() => Assert.Empty(Changed(_ => { }));

    [Fact]
    public void A_cell_without_metadata_has_lost_its_grade_id_so_it_is_removed()
    {
        Assert.Equal("removed", Changed(n => Cell(n, "setup").Remove("metadata"))["setup"]);
        Assert.Equal("removed", Changed(n => Cell(n, "setup")["metadata"] = "not an object")["setup"]);
    }

    [Fact]
    public void A_cell_without_source_is_changed()
    {
        Assert.Equal("changed", Changed(n => Cell(n, "setup").Remove("source"))["setup"]);
        Assert.Equal("changed", Changed(n => Cell(n, "problem3-check").Remove("source"))["problem3-check"]);
    }

    [Fact]
    public void A_source_written_as_one_string_is_the_same_source()
    {
        Assert.Empty(Changed(n => Cell(n, "setup")["source"] = NotebookCells.Source(Cell(n, "setup"))));
        Assert.Equal("changed", Changed(n => Cell(n, "setup")["source"] = "var lab = 1;")["setup"]);
    }

    [Fact]
    public void A_source_list_holding_something_else_than_lines_is_changed()
    {
        Assert.Equal("changed", Changed(n => Cell(n, "setup")["source"]!.AsArray().Add(null))["setup"]);
        Assert.Equal("changed", Changed(n => Cell(n, "setup")["source"]!.AsArray().Add(42))["setup"]);
        Assert.Equal("changed", Changed(n => Cell(n, "setup")["source"] = 42)["setup"]);
    }

    [Fact]
    public void Mangled_metadata_is_changed_not_an_exception()
    {
        Assert.Equal("changed", Changed(n => Cell(n, "setup").Remove("cell_type"))["setup"]);
        Assert.Equal("changed", Changed(n => Cell(n, "problem3-check")["metadata"]!["nbgrader"]!.AsObject().Remove("points"))["problem3-check"]);
        Assert.Equal("changed", Changed(n => Cell(n, "problem3-check")["metadata"]!["nbgrader"]!["points"] = "lots")["problem3-check"]);
        Assert.Equal("changed", Changed(n => Cell(n, "problem3-check")["metadata"]!["nbgrader"]!["grade"] = "yes")["problem3-check"]);
        Assert.Equal("removed", Changed(n => Cell(n, "setup")["metadata"]!["nbgrader"]!["grade_id"] = 7)["setup"]);
    }
}
