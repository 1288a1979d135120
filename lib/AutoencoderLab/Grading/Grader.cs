using System.Diagnostics;
using System.Text.Json.Nodes;
using AutoencoderLab.Data;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Grading;

/// <summary>
/// <c>aelab grade</c>: grades a class. For each student (several at once, one kernel each), in a temporary copy of the
/// student's folder, each course notebook goes through the autograde steps: <see cref="ReadSubmission"/>,
/// <see cref="CheckTampering"/>, <see cref="OverwriteLockedCells"/>, a run in a fresh sandboxed kernel
/// (<see cref="GradingKernel"/>), <see cref="ScoreChecks"/>; then the executed notebook and its feedback page are written
/// and the gradebook is saved, so an interrupted run resumes where it stopped.
/// </summary>
public sealed class Grader(GradeOptions options, Sandbox sandbox)
{
    /// <summary>Where the executed notebooks go: <c>OUT/executed/STUDENT/NOTEBOOK.ipynb</c>.</summary>
    public const string ExecutedFolder = "executed";

    /// <summary>Where the feedback pages go: <c>OUT/feedback/STUDENT/NOTEBOOK.html</c>.</summary>
    public const string FeedbackFolder = "feedback";

    /// <summary>Each kernel's managed heap limit: a huge allocation fails in the student's cell instead of starving the machine.</summary>
    public const string HeapLimit = "0x100000000"; // 4 GiB

    /// <summary>The sandbox the kernels run in.</summary>
    public Sandbox Sandbox { get; } = sandbox;

    /// <summary>
    /// Grades every student of the shard not yet in the gradebook (all with <see cref="GradeOptions.Regrade"/>), reporting
    /// each notebook through <paramref name="progress"/>; returns the gradebook, also saved in <see cref="GradeOptions.Out"/>.
    /// </summary>
    public Gradebook Run(IProgress<GradingProgress>? progress = null, Action<string>? log = null, CancellationToken token = default)
    {
        var course = CourseNotebook.LoadAll(options.Instructor ?? Path.Combine(ProjectPaths.Root, "notebooks"));
        var students = options.Shard.Of(SubmissionFolder.Find(options.Submissions, course.Select(c => c.Name).ToList())).ToList();
        var book = Gradebook.Open(options.Out, course);
        var todo = students.Where(s => options.Regrade || book.Of(s.Student).Count == 0).ToList();
        log?.Invoke($"{students.Count} student(s) in shard {options.Shard}; {todo.Count} to grade, {students.Count - todo.Count} already in the gradebook.");
        if (!Sandbox.Confines) log?.Invoke(Sandbox.Missing);
        if (todo.Count == 0) { book.Save(options.Out); return book; }
        Prepare(log);
        var data = MnistLocation.Resolve(options.Data);
        if (data.Missing().Count > 0) throw new AutoencoderLabException($"MNIST is not in {data.Directory}: the kernels have no network; run 'aelab data' first.");
        int total = todo.Sum(s => course.Count + s.Strangers.Count), done = 0;
        var gate = new object();
        var scratch = Directory.CreateTempSubdirectory("aelab-grade-");
        try
        {
            var library = PinLibrary(scratch.FullName);
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = token }, student =>
            {
                var grades = GradeStudent(student, course, data.Directory, library, Path.Combine(scratch.FullName, $"s{Guid.NewGuid():N}"), grade =>
                {
                    lock (gate) progress?.Report(new GradingProgress(grade, ++done, total));
                }, token);
                lock (gate)
                {
                    book.Set(student.Student, grades);
                    book.Save(options.Out);
                }
            });
        }
        finally
        {
            if (renderer.IsValueCreated) renderer.Value?.Dispose(); // the browser kept for the feedback pages' charts
            try { scratch.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return book;
    }

    List<NotebookGrade> GradeStudent(Submission student, IReadOnlyList<CourseNotebook> course, string data, string library, string workspace, Action<NotebookGrade> report, CancellationToken token)
    {
        var folder = Path.Combine(workspace, "work");
        var scratch = Path.Combine(workspace, ".grader");
        foreach (var d in new[] { folder, scratch, Path.Combine(workspace, "artifacts") }) Directory.CreateDirectory(d);
        CopyFolder(student.Folder, folder);
        File.Copy(Path.Combine(ProjectPaths.Root, "dotnet-tools.json"), Path.Combine(workspace, "dotnet-tools.json"), overwrite: true);
        // The kernel reads the pinned library (and through its link the repository's kernel folder) and MNIST.
        var kernel = new GradingKernel(Sandbox, options.CellLimit, options.NotebookLimit, Environment(workspace, data, library),
            [library, ProjectPaths.Root, data]);
        var grades = new List<NotebookGrade>();
        var pages = new List<(JsonObject Notebook, NotebookGrade Grade)>();
        foreach (var notebook in course)
        {
            token.ThrowIfCancellationRequested();
            NotebookGrade grade;
            if (!student.Notebooks.TryGetValue(notebook.Name, out var path))
            {
                grade = new NotebookGrade(student.Student, notebook.Name, 0, notebook.MaxPoints, GradeStatus.Missing, $"no {notebook.Name}.ipynb in the submission",
                    notebook.Checks.Select(c => new CellGrade(c.GradeId, 0, c.Points, "missing", "The notebook was not handed in.")).ToList(), 0, 0);
                pages.Add((new JsonObject { ["cells"] = new JsonArray() }, grade));
            }
            else
                try { grade = GradeNotebook(student, notebook, path, folder, scratch, workspace, kernel, pages, token); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A hostile or broken file the steps before could not make sense of costs this notebook, never the class.
                    grade = new NotebookGrade(student.Student, notebook.Name, 0, notebook.MaxPoints, GradeStatus.Error, $"could not be graded: {e.GetType().Name}: {e.Message}",
                        notebook.Checks.Select(c => new CellGrade(c.GradeId, 0, c.Points, "not run", "The notebook could not be graded.")).ToList(), 0, 0);
                    pages.Add((new JsonObject { ["cells"] = new JsonArray() }, grade));
                }
            grades.Add(grade);
            report(grade);
        }
        WriteFeedback(pages);
        foreach (var stranger in student.Strangers)
        {
            var grade = new NotebookGrade(student.Student, Path.GetFileNameWithoutExtension(stranger), 0, 0, GradeStatus.InvalidNotebook,
                $"not one of this course's notebooks ({string.Join(", ", course.Select(c => c.Name))}): not run", [], 0, 0);
            grades.Add(grade);
            report(grade);
        }
        return grades;
    }

    NotebookGrade GradeNotebook(Submission student, CourseNotebook notebook, string path, string folder, string scratch, string workspace, GradingKernel kernel,
        List<(JsonObject Notebook, NotebookGrade Grade)> pages, CancellationToken token)
    {
        var submission = new SubmittedNotebook(student.Student, notebook, path);
        ReadSubmission.Apply(submission);
        CheckTampering.Apply(submission);
        OverwriteLockedCells.Apply(submission);
        if (submission.Notebook is { } runnable)
        {
            var runScratch = Path.Combine(scratch, notebook.Name);
            Directory.CreateDirectory(runScratch);
            submission.Run = kernel.Run(runnable, Path.Combine(folder, Path.GetFileName(path)), runScratch, workspace, token);
        }
        var grade = ScoreChecks.Apply(submission);
        pages.Add((WriteExecuted(submission), grade));
        return grade;
    }

    // The executed notebook (as run: hidden tests included) for the instructor; returns what the student's feedback shows.
    JsonObject WriteExecuted(SubmittedNotebook submission)
    {
        var notebook = submission.Run?.Executed ?? submission.Notebook;
        if (notebook is null) return new JsonObject { ["cells"] = new JsonArray() };
        var executedPath = Path.Combine(options.Out, ExecutedFolder, submission.Student, submission.Course.Name + ".ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(executedPath)!);
        AtomicFile.Write(executedPath, s => s.Write(System.Text.Encoding.UTF8.GetBytes(NotebookCells.Serialize(notebook))));
        return AsReleased(notebook, submission.Course);
    }

    // One Chromium run draws the charts of all the student's notebooks; each page shows its part of that sheet.
    void WriteFeedback(IReadOnlyList<(JsonObject Notebook, NotebookGrade Grade)> pages)
    {
        var charts = pages.Select(p => FeedbackPage.ChartsToRender(p.Notebook)).ToList();
        var sheet = ChartSheet.Render(charts.SelectMany(c => c).ToList(), renderer.Value);
        int offset = 0;
        for (int i = 0; i < pages.Count; i++)
        {
            var (notebook, grade) = pages[i];
            var path = Path.Combine(options.Out, FeedbackFolder, grade.Student, grade.Notebook + ".html");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string html;
            try { html = FeedbackPage.Html(notebook, grade, sheet.Part(offset, charts[i].Count)); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                html = FeedbackPage.Html(new JsonObject { ["cells"] = new JsonArray() }, grade with { Reason = $"{grade.Reason}; the notebook cannot be shown: {e.Message}".TrimStart(';', ' ') });
            }
            offset += charts[i].Count;
            AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(html)));
        }
    }

    readonly Lazy<Charts.ChromiumRenderer?> renderer = new(Charts.ChromiumRenderer.Find);

    // The student sees the checks as released: the hidden tests stay hidden in the feedback.
    static JsonObject AsReleased(JsonObject executed, CourseNotebook course)
    {
        var copy = executed.DeepClone().AsObject();
        var released = NotebookCells.Of(course.Release).Where(c => CourseNotebook.Grading(c) is { } g && CourseNotebook.Flag(g, "grade"))
            .ToDictionary(c => CourseNotebook.GradeId(c)!, NotebookCells.Source);
        foreach (var cell in NotebookCells.Of(copy))
            if (CourseNotebook.GradeId(cell) is { } id && released.TryGetValue(id, out var source)) NotebookCells.SetSource(cell, source);
        return copy;
    }

    Dictionary<string, string> Environment(string workspace, string data, string library)
    {
        int threads = Math.Max(1, System.Environment.ProcessorCount / Math.Max(1, options.Workers));
        return new()
        {
            [ProjectPaths.RootVariable] = library,
            [MnistLocation.EnvironmentVariable] = data,
            [NotebookParameters.QuickVariable] = options.Quick ? "1" : "0",
            [NotebookParameters.HeadlessVariable] = "1",
            [NotebookParameters.ChartImagesVariable] = "0",
            [NotebookParameters.ArtifactsVariable] = Path.Combine(workspace, "artifacts"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_GCHeapHardLimit"] = HeapLimit,
            ["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MKL_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// A repository root for the kernels that holds only the published kernel library (a link) and no sources: the
    /// notebooks' setup cell then finds it current whatever happens to the sources during grading, and every student
    /// is graded with the library published when grading started.
    /// </summary>
    static string PinLibrary(string scratch)
    {
        var root = Path.Combine(scratch, "library");
        Directory.CreateDirectory(Path.Combine(root, "lib", "AutoencoderLab"));
        Directory.CreateDirectory(Path.Combine(root, "build"));
        Directory.CreateDirectory(Path.Combine(root, "artifacts"));
        File.WriteAllText(Path.Combine(root, "AutoencoderLab.sln"), "");
        Directory.CreateSymbolicLink(Path.Combine(root, "artifacts", "kernel"), NotebookRunner.KernelDirectory);
        return root;
    }

    bool prepared;

    /// <summary>
    /// Publishes the kernel library if it is out of date, restores dotnet-repl and precompiles it
    /// (<see cref="ReplPrecompiler"/>): what every run does first, once per grader.
    /// </summary>
    public void Prepare(Action<string>? log = null)
    {
        if (prepared) return;
        // The kernels cannot build the library (read-only file system): publish it now if the setup cell would.
        if (!NotebookRunner.KernelIsCurrent()) NotebookRunner.PrepareKernel(line => log?.Invoke(line));
        else NotebookRunner.RestoreTools();
        ReplPrecompiler.Ensure(log); // a class starts four kernels a student: their compiler compiled once, here
        prepared = true;
    }

    // The student's files, without symbolic links (one could point at the instructor's files) and without huge files.
    static void CopyFolder(string from, string to)
    {
        const long MaxFile = 100L << 20;
        foreach (var file in new DirectoryInfo(from).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (file.Length > MaxFile) continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            file.CopyTo(target, overwrite: true);
        }
    }
}
