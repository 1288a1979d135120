using System.Text.Json.Nodes;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace AutoencoderLab.Charts;

/// <summary>The latent-space pictures: t-SNE scatters coloured by digit, WebGL so 20,000 points stay responsive.</summary>
public static class TsneFigures
{
    /// <summary>Pixel space and latent space side by side, one shared legend of the digits.</summary>
    public static Figure SideBySide(TsneEmbedding pixels, TsneEmbedding latent, IReadOnlyList<long> labels) =>
        new("tsne", "t-SNE of the training subsample: pixel space (left) and latent space (right)",
            CSharpChart.Grid([Scatter(pixels, labels, showLegend: true), Scatter(latent, labels, showLegend: false)], 1, 2,
                SubPlotTitles: new[] { "Original Space", "Latent Space" }),
            Legend);

    /// <summary>Id of <see cref="Contrastive"/>'s figure (its PNG and page are named after it).</summary>
    public const string ContrastiveId = "tsne-contrastive";

    /// <summary>The latent space after Problem 4, titled as the original titled it.</summary>
    public static Figure Contrastive(TsneEmbedding embedding, IReadOnlyList<long> labels) =>
        Single(ContrastiveId, "Autoencoder with Contrast Learning", embedding, labels);

    static Figure Single(string id, string title, TsneEmbedding embedding, IReadOnlyList<long> labels) =>
        new(id, title, Scatter(embedding, labels, showLegend: true), Legend);

    static void Legend(JsonObject layout)
    {
        layout["legend"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "digit" }, ["itemsizing"] = "constant" };
    }

    /// <summary>One WebGL trace per digit, sharing legend groups across panels.</summary>
    static GenericChart Scatter(TsneEmbedding embedding, IReadOnlyList<long> labels, bool showLegend)
    {
        var traces = new List<GenericChart>();
        for (int digit = 0; digit < MnistDataset.Classes; digit++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == digit).ToArray();
            var chart = CSharpChart.Scatter<double, double, string>(
                members.Select(i => embedding[i].X), members.Select(i => embedding[i].Y), StyleParam.Mode.Markers,
                Name: digit.ToString(), ShowLegend: showLegend, Opacity: 0.35,
                MarkerColor: Color.fromHex(DigitColors.Hex[digit]), UseWebGL: true);
            traces.Add(Plotly.NET.CSharp.GenericChartExtensions.WithTraceInfo(chart, LegendGroup: digit.ToString()));
        }
        return CSharpChart.Combine(traces);
    }
}
