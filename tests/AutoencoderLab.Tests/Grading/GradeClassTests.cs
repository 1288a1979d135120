using System.Diagnostics;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Grading;

/// <summary>
/// A class of synthetic students handed in and graded once, in real sandboxed kernels, in quick mode: each test reads
/// one student's rows. Students: alice (the solutions), bob (the blank release), carol (wrong answers), dave (a compile
/// error), erin (an endless loop), frank (Environment.Exit), gina (a changed check cell), hank (a truncated file), ivan
/// (writes into the instructor's and his own submitted folder), jack (a number where a locked cell's source belongs), kate (allocates without end).
/// </summary>
public sealed class GradedClass : IDisposable
{
    readonly TempDirectory folder = new();

    public GradedClass()
    {
        Instructor = folder.File("instructor");
        Submissions = folder.File("submitted");
        Out = folder.File("grades");
        Directory.CreateDirectory(Instructor);
        foreach (var notebook in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "notebooks"), "*.ipynb"))
            File.Copy(notebook, Path.Combine(Instructor, Path.GetFileName(notebook)));
        var hand = new ClassSubmissions(Instructor, Submissions);
        string[] all = ["01-autoencoder", "02-training", "03-centroid-classifier", "04-contrastive"];
        foreach (var name in all) hand.Hand("alice", name, hand.Solved(name));
        foreach (var name in all) hand.Hand("bob", name, hand.Blank(name));
        hand.Hand("carol", "02-training", ClassSubmissions.Answer(hand.Solved("02-training"), "optimizer.zero_grad();\n", ""));
        hand.Hand("carol", "03-centroid-classifier", ClassSubmissions.Answer(hand.Solved("03-centroid-classifier"), "return 100.0 *", "return 1.0 *"));
        hand.Hand("dave", "01-autoencoder", ClassSubmissions.Answer(hand.Solved("01-autoencoder"), "(\"linear3\", Linear(25, 50)));", "(\"linear3\", Linear(25, 50))"));
        hand.Hand("erin", "01-autoencoder", ClassSubmissions.Answer(hand.Solved("01-autoencoder"), "Sequential BuildDecoder()\n{\n", "Sequential BuildDecoder()\n{\n    while (true) { }\n"));
        hand.Hand("frank", "01-autoencoder", ClassSubmissions.Append(hand.Solved("01-autoencoder"), "System.Environment.Exit(0);"));
        hand.Hand("gina", "01-autoencoder", ClassSubmissions.Edit(hand.Solved("01-autoencoder"), "problem1-check", "\"Problem 1 looks right\""));
        var truncated = ClassSubmissions.Append(hand.Solved("01-autoencoder"), "// mine");
        hand.Hand("hank", "01-autoencoder", AutoencoderLab.Notebooks.Release.NotebookCells.Serialize(truncated)[..700]);
        var hostile = hand.Solved("01-autoencoder");
        AutoencoderLab.Notebooks.Release.NotebookCells.Of(hostile).First(c => CourseNotebook.GradeId(c) == "setup")["source"] = 42;
        hand.Hand("jack", "01-autoencoder", hostile);
        hand.Hand("kate", "01-autoencoder", ClassSubmissions.Append(hand.Solved("01-autoencoder"),
            "var hoard = new List<byte[]>();\nwhile (true) hoard.Add(new byte[1 << 30]);"));
        InstructorTarget = Path.Combine(Instructor, "written-by-ivan.txt");
        SubmissionTarget = Path.Combine(Submissions, "ivan", "written-by-ivan.txt");
        RepositoryTarget = Path.Combine(TestPaths.RepositoryRoot, "notebooks", $"written-by-ivan-{Guid.NewGuid():N}.txt");
        hand.Hand("ivan", "01-autoencoder", ClassSubmissions.Append(hand.Solved("01-autoencoder"),
            $"foreach (var path in new[] {{ @\"{InstructorTarget}\", @\"{SubmissionTarget}\", @\"{RepositoryTarget}\" }})\n" +
            "    try { System.IO.File.WriteAllText(path, \"ivan was here\"); Console.WriteLine(\"landed: \" + path); } catch (Exception e) { Console.WriteLine(e.Message); }"));
        Options = new GradeOptions
        {
            Submissions = Submissions, Out = Out, Instructor = Instructor, Data = TestPaths.SharedMnist, Quick = true, Workers = 2,
            CellTimeout = TimeSpan.FromSeconds(40),
        };
        Sandbox = Sandbox.Find();
        var clock = Stopwatch.StartNew();
        Book = new Grader(Options, Sandbox).Run(log: line => Log.Add(line));
        Seconds = clock.Elapsed.TotalSeconds;
    }

    public string Instructor { get; }
    public string Submissions { get; }
    public string Out { get; }
    public string InstructorTarget { get; }
    public string SubmissionTarget { get; }
    public string RepositoryTarget { get; }
    public GradeOptions Options { get; }
    public Sandbox Sandbox { get; }
    public Gradebook Book { get; }
    public List<string> Log { get; } = [];
    public double Seconds { get; }

    public NotebookGrade Row(string student, string notebook) => Book.Rows.Single(r => r.Student == student && r.Notebook == notebook);

    public CellGrade Check(string student, string notebook, string gradeId) => Row(student, notebook).Cells.Single(c => c.GradeId == gradeId);

    public void Dispose()
    {
        if (File.Exists(RepositoryTarget)) File.Delete(RepositoryTarget); // only if the sandbox failed; the test says so
        folder.Dispose();
    }
}

public class GradeClassTests(GradedClass graded) : IClassFixture<GradedClass>
{
    [SkippableFact]
    public void Grading_runs_sandboxed()
    {
        Skip.IfNot(graded.Sandbox.Confines, Sandbox.Missing);
        Assert.DoesNotContain(graded.Log, l => l.Contains("bubblewrap", StringComparison.Ordinal));
    }

    [Fact]
    public void The_solutions_earn_full_marks_in_every_notebook()
    {
        foreach (var notebook in new[] { "01-autoencoder", "02-training", "03-centroid-classifier", "04-contrastive" })
        {
            var row = graded.Row("alice", notebook);
            Assert.True(row.Status == GradeStatus.Ok, $"{notebook}: {row.Reason}");
            Assert.True(row.Points == row.MaxPoints, $"{notebook}: {row.Points}/{row.MaxPoints}: {string.Join(" | ", row.Cells.Select(c => c.Message))}");
            Assert.All(row.Cells, c => Assert.Equal("passed", c.Outcome));
        }
        Assert.Equal(13, graded.Book.Of("alice").Sum(r => r.Points));
    }

    [Fact]
    public void Every_executed_code_cell_records_its_wall_and_cpu_seconds()
    {
        var executed = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(graded.Out, Grader.ExecutedFolder, "alice", "02-training.ipynb")))!.AsObject();
        var code = NotebookCells.Of(executed).Where(NotebookCells.IsCode).ToList();
        Assert.All(code, c => Assert.True(c["metadata"]?[TracedNotebook.SecondsKey] is not null && c["metadata"]?[TracedNotebook.CpuSecondsKey] is not null, NotebookCells.Source(c)));
        // The training cell computes for seconds: its CPU time is real, not a clock difference of zero.
        Assert.Contains(code, c => c["metadata"]![TracedNotebook.CpuSecondsKey]!.GetValue<double>() > 1);
    }

    [Fact]
    public void The_blank_release_earns_nothing_and_is_ok()
    {
        foreach (var row in graded.Book.Of("bob"))
        {
            Assert.True(row.Status == GradeStatus.Ok, $"{row.Notebook}: {GradeStatusText.Of(row.Status)}: {row.Reason}");
            Assert.True(row.Points == 0, $"{row.Notebook}: {string.Join(" | ", row.Cells.Select(c => $"{c.GradeId} {c.Points} {c.Message}"))}");
        }
        Assert.Contains("not done yet", graded.Check("bob", "02-training", "problem2-check").Message);
        Assert.Contains("reference classifier", graded.Check("bob", "03-centroid-classifier", "problem3-latent-check").Message);
    }

    [Fact]
    public void A_wrong_answer_earns_nothing_or_its_share_with_the_checks_message()
    {
        var loop = graded.Check("carol", "02-training", "problem2-check");
        Assert.Equal((0.0, "failed"), (loop.Points, loop.Outcome));
        Assert.Contains("zero_grad", loop.Message);
        var classifier = graded.Check("carol", "03-centroid-classifier", "problem3-check");
        Assert.Equal((2.0, "partial"), (classifier.Points, classifier.Outcome)); // the centroids' two parts pass, the accuracy fails
        Assert.Contains("[2 of 3 parts passed]", classifier.Message);
        Assert.Equal(GradeStatus.Missing, graded.Row("carol", "01-autoencoder").Status);
    }

    [Fact]
    public void A_compile_error_fails_the_check_with_the_compilers_message()
    {
        var row = graded.Row("dave", "01-autoencoder");
        Assert.Equal(GradeStatus.Ok, row.Status);
        Assert.Equal(0, row.Points);
        Assert.Contains("CS", row.Cells.Single().Message);
    }

    [Fact]
    public void An_endless_loop_costs_its_cells_and_the_rest_of_the_notebook_runs()
    {
        var row = graded.Row("erin", "01-autoencoder");
        Assert.Equal(GradeStatus.Timeout, row.Status);
        var check = row.Cells.Single();
        Assert.Equal((0.0, "timeout"), (check.Points, check.Outcome));
        Assert.Contains("ran longer than 40 s", check.Message);
        var executed = File.ReadAllText(Path.Combine(graded.Out, Grader.ExecutedFolder, "erin", "01-autoencoder.ipynb"));
        Assert.Contains("MNIST: 60,000 training", executed); // the cells before it kept their outputs
        Assert.Contains("while (true)", executed); // the student's code is shown as written
    }

    [Fact]
    public void Environment_Exit_costs_only_its_cell()
    {
        var row = graded.Row("frank", "01-autoencoder");
        Assert.Equal(GradeStatus.Error, row.Status);
        Assert.Contains("kernel stopped in cells 14", row.Reason);
        Assert.Equal(2, row.Points);
    }

    [Fact]
    public void A_huge_allocation_fails_in_its_cell_and_costs_nothing_else()
    {
        var row = graded.Row("kate", "01-autoencoder");
        Assert.Equal((GradeStatus.Ok, 2.0), (row.Status, row.Points));
        Assert.Contains("OutOfMemoryException", File.ReadAllText(Path.Combine(graded.Out, Grader.ExecutedFolder, "kate", "01-autoencoder.ipynb")));
    }

    [Fact]
    public void A_changed_check_cell_is_flagged_earns_nothing_and_the_original_runs()
    {
        var row = graded.Row("gina", "01-autoencoder");
        Assert.Equal(GradeStatus.Tampered, row.Status);
        Assert.Contains("problem1-check (changed)", row.Reason);
        var check = row.Cells.Single();
        Assert.Equal((0.0, "tampered"), (check.Points, check.Outcome));
        Assert.Contains("Problem 1 looks right: encoder and decoder as specified", check.Message);
    }

    [Fact]
    public void A_truncated_file_is_reported_and_the_run_goes_on()
    {
        var row = graded.Row("hank", "01-autoencoder");
        Assert.Equal(GradeStatus.InvalidNotebook, row.Status);
        Assert.Contains("not JSON", row.Reason);
        Assert.Equal(44, graded.Book.Rows.Count); // 11 students x 4 notebooks: every student has every row
        // A number where a locked cell's source belongs is a changed cell, not a crash: flagged, and the original runs.
        var hostile = graded.Row("jack", "01-autoencoder");
        Assert.Equal(GradeStatus.Tampered, hostile.Status);
        Assert.Contains("setup (changed)", hostile.Reason);
    }

    [SkippableFact]
    public void Writes_outside_the_temporary_folder_do_not_land()
    {
        Skip.IfNot(graded.Sandbox.Confines, Sandbox.Missing);
        Assert.False(File.Exists(graded.InstructorTarget));
        Assert.False(File.Exists(graded.SubmissionTarget));
        Assert.False(File.Exists(graded.RepositoryTarget));
        var row = graded.Row("ivan", "01-autoencoder");
        Assert.Equal((GradeStatus.Ok, 2.0), (row.Status, row.Points));
        var executed = File.ReadAllText(Path.Combine(graded.Out, Grader.ExecutedFolder, "ivan", "01-autoencoder.ipynb"));
        Assert.Contains("Read-only file system", executed); // the repository: visible, not writable
        Assert.DoesNotContain("landed: /", executed);
    }

    [SkippableFact]
    public void A_students_feedback_page_opened_offline_shows_points_checks_and_charts_but_not_the_hidden_tests()
    {
        var renderer = FeedbackPageTests.Chromium();
        var dom = FeedbackPageTests.DumpDom(renderer, Path.Combine(graded.Out, Grader.FeedbackFolder, "carol", "03-centroid-classifier.html"));
        Assert.Contains("2 / 4", dom);
        Assert.Contains("[2 of 3 parts passed]", dom);
        Assert.DoesNotContain("seed: 17", dom);
        var training = File.ReadAllText(Path.Combine(graded.Out, Grader.FeedbackFolder, "alice", "02-training.html"));
        Assert.Contains("data:image/png;base64,", training);
        Assert.DoesNotContain(FeedbackPage.ChartNotRendered, training);
        Assert.True(File.Exists(Path.Combine(graded.Out, Grader.FeedbackFolder, "hank", "01-autoencoder.html")));
    }

    [Fact]
    public void The_gradebook_has_a_row_per_student_and_notebook_and_a_column_per_check()
    {
        var csv = File.ReadAllLines(Path.Combine(graded.Out, Gradebook.CsvName));
        Assert.Equal("student,notebook,points,max_points,status,reason,problem1-check,problem2-check,problem3-check,problem3-latent-check,problem4-check", csv[0]);
        Assert.Contains("carol,03-centroid-classifier,2,4,ok,,,,2,0,", csv);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(graded.Out, Gradebook.JsonName)))!;
        Assert.Contains("zero_grad", json["grades"]!.AsArray().Single(g => (string)g!["student"]! == "carol" && (string)g["notebook"]! == "02-training")!["cells"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Grading_again_skips_graded_students_unless_asked_to_regrade()
    {
        var before = File.ReadAllText(Path.Combine(graded.Out, Gradebook.JsonName));
        var again = new Grader(graded.Options, graded.Sandbox).Run();
        Assert.Equal(graded.Book.Rows.Count, again.Rows.Count);
        Assert.Equal(before, File.ReadAllText(Path.Combine(graded.Out, Gradebook.JsonName)));

        // A class of its own (files that never reach a kernel): a fixed submission counts only with --regrade.
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.File("submitted"), "lee", "01-autoencoder.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{ truncated");
        var options = graded.Options with { Submissions = folder.File("submitted"), Out = folder.File("grades") };
        Assert.Equal(GradeStatus.InvalidNotebook, new Grader(options, graded.Sandbox).Run().Of("lee")[0].Status);
        File.WriteAllText(path, "[]");
        Assert.Contains("not JSON", new Grader(options, graded.Sandbox).Run().Of("lee")[0].Reason);
        Assert.Contains("no list of cells", new Grader(options with { Regrade = true }, graded.Sandbox).Run().Of("lee")[0].Reason);
    }
}
