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
