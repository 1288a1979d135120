using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>What the repository holds: notebooks every client opens cleanly, reference outputs that belong to their cells.</summary>
public class CommittedNotebookTests
{
    static IEnumerable<string> Paths(string folder) =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, folder), "*.ipynb").Order(StringComparer.Ordinal);

    static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    static string Name(string path) => Path.GetFileName(path);

    [Fact]
    public void Every_notebook_is_nbformat_4_5_with_unique_cell_ids()
    {
        foreach (var path in Paths("notebooks").Concat(Paths(Path.Combine("notebooks", "student"))))
        {
            var notebook = Read(path);
            Assert.Equal(4, notebook["nbformat"]!.GetValue<int>());
            Assert.Equal(5, notebook["nbformat_minor"]!.GetValue<int>());
            var ids = NotebookCells.Of(notebook).Select(c => c["id"]?.GetValue<string>()).ToList();
            Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", id ?? ""));
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
    }

    [Fact]
    public void Every_notebook_starts_with_the_same_parameters_and_setup_cells()
    {
        var first = Paths("notebooks").Select(p => NotebookCells.Of(Read(p)).Where(NotebookCells.IsCode).Take(3)
            .Select(c => (c["id"]!.GetValue<string>(), NotebookCells.Source(c))).ToList()).ToList();
        Assert.Equal(4, first.Count);
        Assert.Equal(["parameters", "setup-library", "setup"], first[0].Select(c => c.Item1));
        Assert.All(first, cells => Assert.Equal(first[0], cells));
    }

    [Fact]
    public void Student_notebooks_carry_no_outputs()
    {
        foreach (var path in Paths(Path.Combine("notebooks", "student")))
            Assert.All(NotebookCells.Of(Read(path)).Where(NotebookCells.IsCode), c =>
            {
                Assert.Empty(c["outputs"]!.AsArray());
                Assert.Null(c["metadata"]?["aelab"]);
            });
    }

    [SkippableFact]
    public void Instructor_notebooks_carry_500_epoch_reference_outputs_of_their_current_cells_under_3_MB()
    {
        var missing = new List<string>();
        foreach (var path in Paths("notebooks"))
        {
            Assert.True(new FileInfo(path).Length < 3_000_000, $"{Name(path)} is {new FileInfo(path).Length:N0} bytes; keep each notebook under 3 MB.");
            var cells = NotebookCells.Of(Read(path)).Where(NotebookCells.IsCode).ToList();
            if (!cells.Any(c => c["outputs"] is JsonArray { Count: > 0 })) { missing.Add(Name(path)); continue; }
            var stale = cells.Where(c => !OutputProvenance.IsCurrent(c)).Select(c => c["id"]!.GetValue<string>()).ToList();
            Assert.True(stale.Count == 0,
                $"{Name(path)}: the outputs of cells [{string.Join(", ", stale)}] were not made from their current source. Regenerate: 'aelab notebooks run --in-place' (the assignment's parameters).");
            var outputs = string.Join("\n", cells.SelectMany(c => c["outputs"]!.AsArray()).Select(o => o!.ToJsonString()));
            Assert.Contains("500 epoch(s), seed 3, t-SNE on 20,000 points", outputs);
            Assert.DoesNotContain("\"output_type\":\"error\"", outputs);
            Assert.DoesNotContain("warning CS", outputs);
            Assert.DoesNotContain("dni-plaintext\\u0022\\u003E\\u003Cpre\\u003E\\u0026lt;div id=", outputs); // a chart shown as escaped text
            var charts = NotebookRunner.ReadCells(path).Count(c => c.HasChart);
            Assert.True(charts == NotebookCharts[Path.GetFileNameWithoutExtension(path)], $"{Name(path)} shows {charts} chart(s)");
        }
        Skip.If(missing.Count > 0, $"No reference outputs yet in {string.Join(", ", missing)}: run 'aelab notebooks run --in-place' and commit them.");
    }

    static readonly Dictionary<string, int> NotebookCharts = new() { ["01-autoencoder"] = 1, ["02-training"] = 2, ["03-centroid-classifier"] = 0, ["04-contrastive"] = 2 };
}
