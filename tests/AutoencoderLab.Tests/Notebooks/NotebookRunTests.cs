using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>Publishes the library for kernels once for the notebook runs.</summary>
public sealed class NotebookKernel
{
    public NotebookKernel() => NotebookRunner.PrepareKernel(_ => { });
}

[CollectionDefinition(Name)]
public sealed class NotebookKernelCollection : ICollectionFixture<NotebookKernel>
{
    public const string Name = "notebook kernel";
}

/// <summary>Every notebook, instructor and student, run headless in a real .NET Interactive kernel in quick mode.</summary>
[Collection(NotebookKernelCollection.Name)]
public class NotebookRunTests(NotebookKernel kernel)
{
    static readonly Dictionary<string, string> Environment = new() { ["AELAB_DATA"] = TestPaths.SharedMnist };

    static string[] Notebooks(string folder) =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, folder), "*.ipynb").Order(StringComparer.Ordinal).ToArray();

    static Aelab.Result RunAll(string folder, string output) =>
        Aelab.Run(["notebooks", "run", .. Notebooks(folder), "--quick", "--out", output], Environment, TimeSpan.FromMinutes(10));

    [Fact]
    public void Instructor_notebooks_run_without_a_single_cell_error_and_show_their_charts()
    {
        Assert.NotNull(kernel);
        using var output = new TempDirectory();
        var result = RunAll("notebooks", output.Path);
        Assert.True(result.ExitCode == 0, result.All);

        var charts = new Dictionary<string, int> { ["01-autoencoder"] = 1, ["02-training"] = 2, ["03-centroid-classifier"] = 0, ["04-contrastive"] = 2 };
        foreach (var (name, expected) in charts)
        {
            var cells = NotebookRunner.ReadCells(Path.Combine(output.Path, name + ".ipynb"));
            Assert.All(cells, c => Assert.True(c.Error is null, $"{name} cell {c.Index}: {c.Error}"));
            Assert.Equal(expected, cells.Count(c => c.HasChart));
            Assert.Contains(cells, c => c.IsGraded); // the checks ran and passed
        }
        Assert.Contains("Accuracy in original space(%) 82.03", File.ReadAllText(Path.Combine(output.Path, "03-centroid-classifier.ipynb")));
    }

    [Fact]
    public void Student_notebooks_fail_only_in_their_checks_with_a_friendly_message_and_the_walkthrough_goes_on()
    {
        using var output = new TempDirectory();
        var result = RunAll(Path.Combine("notebooks", "student"), output.Path);
        Assert.Equal(1, result.ExitCode); // the blank problems make their checks fail

        foreach (var path in Directory.GetFiles(output.Path, "*.ipynb"))
        {
            var cells = NotebookRunner.ReadCells(path);
            var failed = cells.Where(c => c.Error is not null).ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, c =>
            {
                Assert.True(c.IsGraded, $"{Path.GetFileName(path)} cell {c.Index} failed but is not a check: {c.Error}");
                Assert.Contains("is not done yet", c.Error);
                Assert.Contains("YOUR CODE HERE", c.Error);
            });
            // The cells after the blank problem ran on the library's reference, and said so.
            Assert.Contains("not implemented yet: using the library", File.ReadAllText(path));
        }
        Assert.Equal(2, NotebookRunner.ReadCells(Path.Combine(output.Path, "04-contrastive.ipynb")).Count(c => c.HasChart));
    }
}
