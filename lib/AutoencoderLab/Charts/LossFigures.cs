using System.Text.Json.Nodes;
using AutoencoderLab.Training;
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

    /// <summary>Problem 4's loss per batch: the total and its two parts, as the report and notebook 04 show it.</summary>
    public static Figure Contrastive(IReadOnlyList<float> total, IReadOnlyList<float> reconstruction, IReadOnlyList<float> contrastive) =>
        Curves("loss-contrastive", "Training Loss with the contrastive term",
            [("total", total), (ContrastiveObjective.ReconstructionPart, reconstruction), (ContrastiveObjective.ContrastivePart, contrastive)]);

    /// <summary>The same from the (total, reconstruction, contrastive) of each step, as notebook 04's loop records them.</summary>
    public static Figure Contrastive(IReadOnlyList<(float Total, float Reconstruction, float Contrastive)> losses) =>
        Contrastive(losses.Select(l => l.Total).ToList(), losses.Select(l => l.Reconstruction).ToList(), losses.Select(l => l.Contrastive).ToList());
}
