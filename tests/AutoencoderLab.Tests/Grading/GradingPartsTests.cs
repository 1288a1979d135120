using System.Text.Json.Nodes;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Grading;

/// <summary>The grader's parts that need no kernel: finding submissions, shards, the tamper check, the gradebook's files.</summary>
public class GradingPartsTests
{
    static readonly string Instructor = Path.Combine(TestPaths.RepositoryRoot, "notebooks");
    static readonly string[] Names = ["01-autoencoder", "02-training", "03-centroid-classifier", "04-contrastive"];

    [Fact]
    public void Submissions_are_found_in_the_flat_and_in_nbgraders_layout()
    {
        using var folder = new TempDirectory();
        foreach (var (path, text) in new[]
                 {
                     ("flat/zoe/01-autoencoder.ipynb", "{}"), ("flat/zoe/notes.ipynb", "{}"), ("flat/adam/02-training.ipynb", "{}"), ("flat/.ipynb_checkpoints/x.ipynb", "{}"),
                     ("course/submitted/zoe/ae/01-autoencoder.ipynb", "{}"), ("course/submitted/zoe/ae/04-contrastive.ipynb", "{}"),
                 })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder.File(path))!);
            File.WriteAllText(folder.File(path), text);
        }
        var flat = SubmissionFolder.Find(folder.File("flat"), Names);
        Assert.Equal(["adam", "zoe"], flat.Select(s => s.Student));
        Assert.Equal(["01-autoencoder"], flat[1].Notebooks.Keys);
        Assert.Equal("notes.ipynb", Path.GetFileName(Assert.Single(flat[1].Strangers)));
        var nbgrader = Assert.Single(SubmissionFolder.Find(folder.File("course"), Names));
        Assert.Equal("zoe", nbgrader.Student);
        Assert.Equal(["01-autoencoder", "04-contrastive"], nbgrader.Notebooks.Keys.Order());
        Assert.Throws<AutoencoderLabException>(() => SubmissionFolder.Find(folder.File("nowhere"), Names));
    }

    [Fact]
    public void A_shard_takes_every_nth_student_and_the_shards_cover_the_class_once()
    {
        var students = Enumerable.Range(0, 10).Select(i => $"s{i}").ToList();
        Assert.Equal(["s1", "s4", "s7"], Shard.Parse("1/3").Of(students));
        Assert.Equal(students.Order(), Enumerable.Range(0, 3).SelectMany(k => new Shard(k, 3).Of(students)).Order());
        foreach (var bad in new[] { "3/3", "1", "-1/2", "a/b", "0/0" }) Assert.Throws<FormatException>(() => Shard.Parse(bad));
    }

    [Fact]
    public void Tampering_is_a_changed_or_removed_locked_cell_not_a_changed_answer()
    {
        var course = CourseNotebook.Load(Path.Combine(Instructor, "03-centroid-classifier.ipynb"));
        SubmittedNotebook Check(Action<JsonObject> change)
        {
            using var folder = new TempDirectory();
            var notebook = course.Release.DeepClone().AsObject();
            change(notebook);
            File.WriteAllText(folder.File("n.ipynb"), NotebookCells.Serialize(notebook));
            var submission = new SubmittedNotebook("s", course, folder.File("n.ipynb"));
            ReadSubmission.Apply(submission);
            CheckTampering.Apply(submission);
            OverwriteLockedCells.Apply(submission);
            return submission;
        }
        JsonObject Cell(JsonObject n, string id) => NotebookCells.Of(n).Single(c => CourseNotebook.GradeId(c) == id);

        Assert.Empty(Check(n => NotebookCells.SetSource(Cell(n, "problem3-classifier"), "// my answer")).Changed);
        Assert.Empty(Check(n => NotebookCells.SetSource(Cell(n, "setup"), NotebookCells.Source(Cell(n, "setup")).Replace("\n", "\r\n"))).Changed);
        Assert.Equal("changed", Check(n => NotebookCells.SetSource(Cell(n, "setup"), "var lab = 1;")).Changed["setup"]);
        Assert.Equal("changed", Check(n => Cell(n, "problem3-check")["metadata"]!["nbgrader"]!["points"] = 100).Changed["problem3-check"]);
        Assert.Equal("removed", Check(n => n["cells"]!.AsArray().Remove(Cell(n, "problem3-latent-check"))).Changed["problem3-latent-check"]);
        // What runs is the instructor's check, hidden tests included, whatever the student left.
        var restored = Check(n => NotebookCells.SetSource(Cell(n, "problem3-check"), "\"full marks\""));
        Assert.Contains("seed: 17", NotebookCells.Source(Cell(restored.Notebook!, "problem3-check")));
    }

    [Fact]
    public void Files_that_are_not_this_courses_notebooks_are_named_as_such()
    {
        var course = CourseNotebook.Load(Path.Combine(Instructor, "01-autoencoder.ipynb"));
        using var folder = new TempDirectory();
        string Invalid(string text)
        {
            File.WriteAllText(folder.File("n.ipynb"), text);
            var submission = new SubmittedNotebook("s", course, folder.File("n.ipynb"));
            ReadSubmission.Apply(submission);
            return submission.Invalid ?? "";
        }
        Assert.Contains("not JSON", Invalid("{\"cells\": ["));
        Assert.Contains("no list of cells", Invalid("[1, 2]"));
        Assert.Contains("format 4", Invalid("{\"cells\": [], \"nbformat\": 3}"));
        Assert.Contains("none of its cells", Invalid("{\"cells\": [{\"cell_type\": \"code\", \"source\": \"print(1)\", \"metadata\": {}}], \"nbformat\": 4}"));
        Assert.Equal("", Invalid(NotebookCells.Serialize(course.Release)));
    }

    [Fact]
    public void The_gradebook_csv_quotes_what_needs_it_and_defuses_formulas_and_reads_back()
    {
        var course = CourseNotebook.LoadAll(Instructor);
        var book = new Gradebook(course);
        book.Set("=HYPERLINK(\"x\")", [new NotebookGrade("=HYPERLINK(\"x\")", "01-autoencoder", 1.5, 2, GradeStatus.Error, "a, b\n\"c\"",
            [new CellGrade("problem1-check", 1.5, 2, "partial", "msg")], 3, 1)]);
        var csv = book.ToCsv().Split('\n');
        Assert.StartsWith("\"'=HYPERLINK(\"\"x\"\")\",01-autoencoder,1.5,2,error,\"a, b", csv[1]);
        using var folder = new TempDirectory();
        book.Save(folder.Path);
        var back = Gradebook.Open(folder.Path, course);
        Assert.Equal(book.Rows.Single() with { Cells = [] }, back.Rows.Single() with { Cells = [] });
        Assert.Equal(book.Rows.Single().Cells, back.Rows.Single().Cells);
        File.WriteAllText(Path.Combine(folder.Path, Gradebook.JsonName), "{ broken");
        Assert.Contains("not a gradebook", Assert.Throws<AutoencoderLabException>(() => Gradebook.Open(folder.Path, course)).Message);
    }
}
