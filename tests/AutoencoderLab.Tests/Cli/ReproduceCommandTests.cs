using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Cli;

/// <summary>The main job end to end on real MNIST, one epoch per problem.</summary>
[Collection(ReproducedRunCollection.Name)]
public class ReproduceCommandTests(ReproducedRun run)
{
    static (Aelab.Result Result, JsonElement Json, RunResults Results) Read(Aelab.Result result, string output)
    {
        Assert.True(result.ExitCode == 0, result.All);
        var path = new RunDirectory(output).Results;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return (result, json.RootElement.Clone(), RunResults.Load(path));
    }

    [Fact]
    public void Writes_results_json_and_weights_prints_82_03_and_repeats_exactly_with_the_same_seed()
    {
        using var second = new TempDirectory();
        var first = run.Directory;
        var a = Read(run.Result, first);
        // The same seed again, without t-SNE and without Chromium (PNGs are skipped, the run still succeeds).
        var b = Read(Aelab.Run(["reproduce", "--epochs", "1", "--contrastive-epochs", "1", "--seed", "3", "--no-tsne",
            "--data", TestPaths.SharedMnist, "--out", second.Path, "--device", "cpu"],
            new Dictionary<string, string> { ["AELAB_CHROMIUM"] = "/nonexistent/chromium" }), second.Path);

        // The summary table puts each accuracy computed in this run (results.json) next to the assignment's.
        static string Row(string space, double? ours, double assignment) =>
            $@"{Regex.Escape(space)}\W+{Regex.Escape(ours!.Value.ToString("F2", CultureInfo.InvariantCulture))}\W+{Regex.Escape(assignment.ToString("F2", CultureInfo.InvariantCulture))}\W";
        Assert.Matches(Row("original (pixels)", a.Results.Accuracy.Original, ReferenceResults.OriginalAccuracy), a.Result.Output);
        Assert.Matches(Row("latent (Problem 2)", a.Results.Accuracy.Latent, ReferenceResults.LatentAccuracy), a.Result.Output);
        Assert.Matches(Row("latent, contrastive (Problem 4)", a.Results.Accuracy.Contrastive, ReferenceResults.ContrastiveAccuracy), a.Result.Output);

        foreach (var key in new[] { "parameters", "epochs", "contrastiveEpochs", "seed", "device", "accuracy", "secondsPerEpoch", "losses" })
            Assert.True(a.Json.TryGetProperty(key, out _), $"results.json lacks '{key}'");
        Assert.Equal(1_647_109, a.Results.Parameters);
        Assert.Equal((1, 1, 3L, "cpu"), (a.Results.Epochs, a.Results.ContrastiveEpochs, a.Results.Seed, a.Results.Device));
        Assert.Equal(82.03, a.Results.Accuracy.Original, 10);
        Assert.InRange(a.Results.Accuracy.Latent!.Value, 10, 100);
        Assert.InRange(a.Results.Accuracy.Contrastive!.Value, 10, 100);
        Assert.Equal(59, a.Results.Losses.Reconstruction.Count);
        Assert.Equal(59, a.Results.Losses.Contrastive.Count);
        Assert.Equal(59, a.Json.GetProperty("losses").GetProperty("contrastive").GetArrayLength());
        Assert.True(a.Results.SecondsPerEpoch.Reconstruction > 0);
        Assert.True(new FileInfo(Path.Combine(first, RunDirectory.ReconstructionWeights)).Length > 6_000_000);
        Assert.True(new FileInfo(Path.Combine(first, RunDirectory.ContrastiveWeights)).Length > 6_000_000);
        Assert.Empty(Directory.GetFiles(first, "*.tmp"));
        // The PyTorch state dicts beside them, listed in results.json (PyTorchWeightsParityTests opens them in PyTorch).
        Assert.Equal(RunDirectory.ReconstructionPyTorchWeights, a.Results.Files["reconstructionPyTorch"]);
        Assert.Equal(RunDirectory.ContrastivePyTorchWeights, a.Results.Files["contrastivePyTorch"]);
        foreach (var pt in new[] { RunDirectory.ReconstructionPyTorchWeights, RunDirectory.ContrastivePyTorchWeights })
            Assert.True(new FileInfo(Path.Combine(first, pt)).Length > 6_000_000, pt);
        // Alive units of each model, measured on the training images, in results.json and the summary table.
        Assert.Equal(["contrastive", "reconstruction"], a.Results.UnitHealth!.Keys.Order());
        foreach (var health in a.Results.UnitHealth.Values)
        {
            Assert.Equal(["encoder.relu1", "encoder.relu2", "decoder.relu1", "decoder.relu2"], health.Layers.Select(l => l.Layer));
            Assert.Equal([1000, 25, 50, 1000], health.Layers.Select(l => l.Units)); // decoder.relu1 acts on the 50-d code
            Assert.All(health.Layers, l => Assert.InRange(l.Alive, 1, l.Units));
        }
        Assert.Contains($"{a.Results.UnitHealth["reconstruction"].Bottleneck.Alive} of 25", a.Result.Output);
        // The same seed, the same run: the losses first (a difference there is the training's), then what follows from them.
        Assert.Equal(a.Results.Losses.Reconstruction, b.Results.Losses.Reconstruction);
        Assert.Equal(a.Results.Losses.Contrastive, b.Results.Losses.Contrastive);
        Assert.Equal(a.Results.UnitHealth["reconstruction"].Layers, b.Results.UnitHealth!["reconstruction"].Layers);

        // The three t-SNE maps: CSV (x, y, label) of the subsample 0, 3, 6, ..., and the two scatter pages.
        Assert.Equal(["contrastive", "latent", "pixels"], a.Results.Tsne!.Keys.Order());
        foreach (var (space, map) in a.Results.Tsne)
        {
            var (coordinates, labels) = LatentMaps.Load(Path.Combine(first, map.File));
            Assert.Equal(600, labels.Length);
            Assert.Equal([5L, 1, 1, 4, 3], labels.Take(5)); // training labels 0, 3, 6, 9, 12
            Assert.All(coordinates, c => Assert.True(double.IsFinite(c)));
            Assert.InRange(map.KnnAccuracy, 0.3, 1.0);
        }
        Assert.True(a.Results.Tsne["pixels"].KnnAccuracy > 0.8, $"pixel map 10-NN accuracy {a.Results.Tsne["pixels"].KnnAccuracy}");
        foreach (var page in new[] { "tsne", "tsne-contrastive" })
        {
            var html = File.ReadAllText(new RunDirectory(first).FigurePage(page));
            Assert.Contains("scattergl", html);
            Assert.DoesNotContain("<script src", html); // nothing fetched: plotly.js is inline
            Assert.True(html.Length > 3_000_000, "plotly.js is embedded");
        }
        Assert.Null(b.Results.Tsne);
        Assert.False(Directory.Exists(new RunDirectory(second.Path).Figures));
        Assert.Contains("No Chromium found", b.Result.Output);
        Assert.True(File.Exists(new RunDirectory(second.Path).Report));

        Assert.Equal(a.Results.Accuracy, b.Results.Accuracy);
    }

    [Fact]
    public void Report_rewrites_the_page_of_a_finished_run_from_its_directory_alone()
    {
        using var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(run.Directory)) File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        File.Delete(Path.Combine(copy.Path, RunDirectory.ReportFile));

        var result = Aelab.Run("report", copy.Path, "--no-png", "--data", TestPaths.SharedMnist);

        Assert.True(result.ExitCode == 0, result.All);
        var html = File.ReadAllText(Path.Combine(copy.Path, RunDirectory.ReportFile));
        Assert.Contains("id=\"accuracy-original\">82.03<", html);
        Assert.Matches("id=\"alive-reconstruction\">[0-9]+ of 25<", html); // alive units next to the accuracies
        Assert.Single(Regex.Matches(html, "plotly.js v")); // embedded once
        Assert.Contains("8 figures", result.Output);
        Assert.DoesNotContain("Chromium", result.Output);
        Assert.False(Directory.Exists(new RunDirectory(copy.Path).Figures));
    }
}
