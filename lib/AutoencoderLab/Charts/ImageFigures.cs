using System.Text.Json.Nodes;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace AutoencoderLab.Charts;

/// <summary>28 x 28 images shown as a row-major grid of grayscale heatmaps, each with a caption.</summary>
public static class ImageFigures
{
    /// <summary>The first <paramref name="count"/> training images with their labels (the assignment opens with one).</summary>
    public static Figure TrainingDigits(AutoencoderLab.Data.MnistDataset data, int count = 16, int columns = 8, string title = "The first training images")
    {
        using var images = data.TrainImages[..count].cpu();
        using var labels = data.TrainLabels[..count].cpu();
        var captions = labels.data<long>().ToArray().Select(l => $"label {l}").ToList();
        return Grid("digits", title, Enumerable.Range(0, count).Select(i => { using var row = images[i]; return row.data<float>().ToArray(); }).ToList(), captions, columns);
    }

    /// <summary>
    /// <paramref name="images"/> holds 784 values in [0, 1] per image; they are laid out <paramref name="columns"/> to a row.
    /// </summary>
    public static Figure Grid(string id, string title, IReadOnlyList<float[]> images, IReadOnlyList<string> captions, int columns)
    {
        if (images.Count != captions.Count) throw new ArgumentException("one caption per image");
        int rows = (images.Count + columns - 1) / columns;
        var charts = images.Select(pixels => CSharpChart.Heatmap<double, int, int, string>(
            Enumerable.Range(0, 28).Select(r => Enumerable.Range(0, 28).Select(c => (double)pixels[r * 28 + c])),
            ShowScale: false, ColorScale: StyleParam.Colorscale.Greys, ReverseScale: true, ReverseYAxis: true));
        return new Figure(id, title, CSharpChart.Grid(charts, rows, columns, SubPlotTitles: captions.ToArray()), layout =>
        {
            // Square pixels, no ticks: these are pictures, not plots.
            for (int i = 1; i <= images.Count; i++)
            {
                var suffix = i == 1 ? "" : i.ToString();
                layout[$"xaxis{suffix}"] = new JsonObject { ["visible"] = false, ["scaleanchor"] = $"y{suffix}", ["constrain"] = "domain" };
                layout[$"yaxis{suffix}"] = new JsonObject { ["visible"] = false, ["autorange"] = "reversed", ["constrain"] = "domain" };
            }
        });
    }
}
