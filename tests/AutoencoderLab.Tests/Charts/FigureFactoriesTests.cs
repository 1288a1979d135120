using System.Text.Json.Nodes;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using AutoencoderLab.Training;

namespace AutoencoderLab.Tests.Charts;

/// <summary>The charts the report and the notebooks share come from one factory each, with what the report test expects.</summary>
public class FigureFactoriesTests
{
    static List<string> TraceNames(Figure figure) =>
        figure.ToJson()["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();

    /// <summary>One figure of every factory, on made-up values.</summary>
    static IEnumerable<Figure> EveryKind()
    {
        var random = new Random(4);
        var labels = Enumerable.Range(0, 300).Select(i => (long)(i % 10)).ToArray();
        var map = new TsneEmbedding(Enumerable.Range(0, 600).Select(_ => random.NextDouble() * 80 - 40).ToArray(), 1.5, new Dictionary<string, double>(), [], 0);
        var matrix = new long[10, 10];
        for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++) matrix[i, j] = i == j ? 90 + i : random.Next(5);
        yield return LossFigures.Training(Enumerable.Range(1, 59).Select(i => 1f / i).ToList());
        yield return LossFigures.Contrastive([3f, 2f, 1.5f], [1f, 1.5f, 0.7f], [2f, 0.5f, 0.8f]);
        yield return TsneFigures.SideBySide(map, map, labels);
        yield return TsneFigures.Contrastive(map, labels);
        yield return ImageFigures.Grid("digits", "digits", Enumerable.Range(0, 4).Select(d => Enumerable.Range(0, 784).Select(p => (float)((p * (d + 3)) % 17) / 16).ToArray()).ToList(), ["a", "b", "c", "d"], 2);
        yield return ClassifierFigures.ConfusionMatrices([("pixels", matrix), ("latent", matrix)]);
        yield return ClassifierFigures.PerClassAccuracy([("pixels", matrix), ("latent", matrix)]);
    }

    [Fact]
    public void Figure_json_is_the_text_plotly_net_writes()
    {
        foreach (var figure in EveryKind())
            Assert.Equal(Plotly.NET.GenericChart.toFigureJson(figure.Chart), FigureJson.Of(figure.Chart));
    }

    [Fact]
    public void The_contrastive_loss_chart_shows_the_total_then_the_objectives_parts()
    {
        var figure = LossFigures.Contrastive([3f, 2f], [1f, 1.5f], [2f, 0.5f]);
        Assert.Equal("loss-contrastive", figure.Id);
        Assert.Equal(new[] { "total" }.Concat(new ContrastiveObjective().PartNames), TraceNames(figure));
        Assert.Equal("log", figure.ToJson()["layout"]!["yaxis"]!["type"]!.GetValue<string>());

        // The notebook's (total, reconstruction, contrastive) per step draws the same chart.
        var fromSteps = LossFigures.Contrastive([(3f, 1f, 2f), (2f, 1.5f, 0.5f)]);
        Assert.Equal(figure.ToJson().ToJsonString(), fromSteps.ToJson().ToJsonString());
    }

    [Fact]
    public void The_contrastive_map_has_its_id_and_one_trace_per_digit()
    {
        long[] labels = [.. Enumerable.Range(0, 2 * MnistDataset.Classes).Select(i => (long)(i % MnistDataset.Classes))];
        var coordinates = Enumerable.Range(0, 2 * labels.Length).Select(i => (double)i).ToArray();
        var figure = TsneFigures.Contrastive(new TsneEmbedding(coordinates, 0, new Dictionary<string, double>(), [], 0), labels);
        Assert.Equal(TsneFigures.ContrastiveId, figure.Id);
        Assert.Equal("Autoencoder with Contrast Learning", figure.Title);
        Assert.Equal(Enumerable.Range(0, MnistDataset.Classes).Select(d => d.ToString()), TraceNames(figure));
    }

    [Fact]
    public void Every_class_has_its_own_colour()
    {
        Assert.Equal(MnistDataset.Classes, DigitColors.Hex.Count);
        Assert.Equal(DigitColors.Hex.Count, DigitColors.Hex.Distinct().Count());
    }
}
