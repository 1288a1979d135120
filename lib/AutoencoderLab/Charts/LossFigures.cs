using System.Text.Json.Nodes;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace AutoencoderLab.Charts;

/// <summary>Training losses per batch against iteration, log-scaled y axis with grid, as the original plotted them.</summary>
public static class LossFigures
{
    /// <summary>One curve per named series (e.g. the total, or the reconstruction and contrastive parts).</summary>
    public static Figure Curves(string id, string title, IEnumerable<(string Name, IReadOnlyList<float> Values)> series)
    {
        var lines = series.Select(s => CSharpChart.Line<int, double, string>(
            Enumerable.Range(1, s.Values.Count), s.Values.Select(v => v > 0 ? (double)v : double.NaN), Name: s.Name, ShowLegend: true, UseWebGL: true));
        return new Figure(id, title, CSharpChart.Combine(lines), layout =>
        {
            layout["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "iteration" }, ["showgrid"] = true };
            layout["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "loss" }, ["type"] = "log", ["showgrid"] = true };
        });
    }

    /// <summary>The assignment's plot: Problem 2's loss per batch, titled "Training Loss".</summary>
    public static Figure Training(IReadOnlyList<float> losses) => Curves("loss", "Training Loss", [("reconstruction (MSE)", losses)]);
}
