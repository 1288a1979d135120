using System.Diagnostics;
using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>
/// A fresh <c>git clone</c> of the repository in a temporary folder: nothing built, no kernel library, as a new user
/// has it. The first notebook's setup cell builds the library there.
/// </summary>
public sealed class FreshClone : IDisposable
{
    readonly TempDirectory directory = new();

    public FreshClone()
    {
        Root = Path.Combine(directory.Path, "clone");
        var git = Process.Start(new ProcessStartInfo("git", ["clone", "--quiet", TestPaths.RepositoryRoot, Root]) { RedirectStandardError = true })!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git clone failed: {error}");
    }

    public string Root { get; }

    public void Dispose() => directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FreshCloneCollection : ICollectionFixture<FreshClone>
{
    public const string Name = "a fresh clone";
}

/// <summary>Every notebook, instructor and student, run headless in real kernels (dotnet-repl and Jupyter) in quick mode, from a fresh clone.</summary>
[Collection(FreshCloneCollection.Name)]
public class NotebookRunTests(FreshClone clone)
{
    static readonly Dictionary<string, int> Charts = new() { ["01-autoencoder"] = 1, ["02-training"] = 2, ["03-centroid-classifier"] = 0, ["04-contrastive"] = 2 };

    /// <summary>Runs the notebooks of <paramref name="folder"/> in order, with their own folder for trained models.</summary>
    static List<(string Name, IReadOnlyList<CellResult> Cells, string Text)> RunAll(string folder, NotebookClient client)
    {
        using var output = new TempDirectory();
        var environment = new Dictionary<string, string> { ["AELAB_DATA"] = TestPaths.SharedMnist, [NotebookParameters.ArtifactsVariable] = output.File("models") };
        var results = new List<(string, IReadOnlyList<CellResult>, string)>();
        foreach (var notebook in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var result = NotebookRunner.Run(notebook, output.File(name + ".ipynb"), quick: true, environment, TimeSpan.FromMinutes(10), client);
            results.Add((name, result.Cells, File.ReadAllText(result.Output)));
        }
        return results;
    }

    static void AssertCleanRun(List<(string Name, IReadOnlyList<CellResult> Cells, string Text)> results)
    {
        Assert.Equal(Charts.Keys, results.Select(r => r.Name));
        foreach (var (name, cells, text) in results)
        {
            Assert.All(cells, c => Assert.True(c.Error is null, $"{name} cell {c.Index}: {c.Error}"));
            Assert.Equal(Charts[name], cells.Count(c => c.HasChart));
            Assert.Contains(cells, c => c.IsGraded);
            Assert.DoesNotContain("warning CS", text);
            Assert.DoesNotContain("not implemented yet", text);
        }
        Assert.Contains("Accuracy in original space(%) 82.03", results[2].Text);
    }

    [Fact]
    public void Instructor_notebooks_run_in_dotnet_repl_without_an_error_or_a_warning() =>
        AssertCleanRun(RunAll(Path.Combine(clone.Root, "notebooks"), NotebookClient.Repl));

    [Fact]
    public void Instructor_notebooks_run_in_jupyter_without_an_error_or_a_warning() =>
        AssertCleanRun(RunAll(Path.Combine(clone.Root, "notebooks"), NotebookClient.Jupyter));

    [Fact]
    public void Blank_student_notebooks_fail_only_in_their_checks_with_a_friendly_message_and_the_walkthrough_goes_on()
    {
        var results = RunAll(Path.Combine(clone.Root, "notebooks", "student"), NotebookClient.Repl);
        foreach (var (name, cells, text) in results)
        {
            var failed = cells.Where(c => c.Error is not null).ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, c =>
            {
                Assert.True(c.IsGraded, $"{name} cell {c.Index} failed but is not a check: {c.Error}");
                Assert.Contains("is not done yet", c.Error);
                Assert.Contains("YOUR CODE HERE", c.Error);
            });
            Assert.Equal(Charts[name], cells.Count(c => c.HasChart));
        }
        // The cells after a blank problem ran on the library's reference, and said so.
        Assert.Contains("not implemented yet: using the library", results[0].Text);
        Assert.Contains("not implemented yet: using the library", results[1].Text);
        Assert.Contains("not implemented yet: using the library", results[3].Text);
    }

    [Fact]
    public void Student_notebooks_filled_with_the_solutions_pass_every_check()
    {
        // A student who writes the instructor's solutions: the student version with the solution regions kept.
        var filled = Path.Combine(clone.Root, "notebooks", "filled");
        Directory.CreateDirectory(filled);
        var keepSolutions = new ReleasePipeline([new RemoveHiddenTests(), new ClearOutputs(), new ComputeChecksums()]);
        foreach (var path in Directory.GetFiles(Path.Combine(clone.Root, "notebooks"), "*.ipynb"))
            File.WriteAllText(Path.Combine(filled, Path.GetFileName(path)), keepSolutions.Apply(File.ReadAllText(path)));
        var results = RunAll(filled, NotebookClient.Repl);
        foreach (var (name, cells, text) in results)
        {
            Assert.All(cells, c => Assert.True(c.Error is null, $"{name} cell {c.Index}: {c.Error}"));
            Assert.Contains("looks right", text);
            Assert.DoesNotContain("HIDDEN TESTS", text);
        }
    }
}
