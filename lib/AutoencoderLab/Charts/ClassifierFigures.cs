using System.Text.Json.Nodes;
using AutoencoderLab.Data;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace AutoencoderLab.Charts;

/// <summary>Pictures of the nearest-centroid classifiers: confusion matrices and per-class accuracy.</summary>
public static class ClassifierFigures
{
    /// <summary>Confusion matrices side by side (rows: true digit, columns: predicted digit), one per space.</summary>
    public static Figure ConfusionMatrices(IReadOnlyList<(string Space, long[,] Matrix)> spaces)
    {
        var digits = Enumerable.Range(0, MnistDataset.Classes).ToArray();
        var charts = spaces.Select(s => CSharpChart.Heatmap<long, int, int, string>(
            digits.Select(t => digits.Select(p => s.Matrix[t, p])), X: digits, Y: digits, ShowScale: false,
            ColorScale: StyleParam.Colorscale.Viridis, ReverseYAxis: true, Name: s.Space));
        return new Figure("confusion", "Confusion matrices of the nearest-centroid classifiers (rows: true digit, columns: predicted)",
            CSharpChart.Grid(charts, 1, spaces.Count, SubPlotTitles: spaces.Select(s => s.Space).ToArray()), layout =>
            {
                for (int i = 1; i <= spaces.Count; i++)
                {
                    var suffix = i == 1 ? "" : i.ToString();
                    layout[$"xaxis{suffix}"] = new JsonObject { ["dtick"] = 1, ["title"] = new JsonObject { ["text"] = "predicted" }, ["scaleanchor"] = $"y{suffix}" };
                    layout[$"yaxis{suffix}"] = new JsonObject { ["dtick"] = 1, ["autorange"] = "reversed", ["title"] = new JsonObject { ["text"] = i == 1 ? "true digit" : "" } };
                }
            });
    }

    /// <summary>Per-class accuracy (%) from confusion matrices, one bar group per digit.</summary>
    public static Figure PerClassAccuracy(IReadOnlyList<(string Space, long[,] Matrix)> spaces)
    {
        var digits = Enumerable.Range(0, MnistDataset.Classes).ToArray();
        var bars = spaces.Select(s => CSharpChart.Column<double, string, string>(
            digits.Select(d => 100.0 * s.Matrix[d, d] / Math.Max(1, digits.Sum(p => s.Matrix[d, p]))),
            Keys: digits.Select(d => d.ToString()).ToArray(), Name: s.Space, ShowLegend: true));
        return new Figure("per-class", "Per-class accuracy of the nearest-centroid classifiers", CSharpChart.Combine(bars), layout =>
        {
            layout["barmode"] = "group";
            layout["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "digit" } };
            layout["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "accuracy (%)" }, ["range"] = new JsonArray(0, 100), ["showgrid"] = true };
        });
    }
}
