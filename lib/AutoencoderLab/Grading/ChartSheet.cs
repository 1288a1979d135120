using System.Text;
using AutoencoderLab.Charts;
using AutoencoderLab.Notebooks;

namespace AutoencoderLab.Grading;

/// <summary>
/// All the charts of one notebook rendered to ONE PNG by one headless Chromium run (a start costs seconds; one per
/// chart would dominate grading): each chart output's own HTML in a box of its exact size, the boxes stacked
/// vertically from the top. A page then shows each chart as its <see cref="Region"/> of <see cref="Png"/>.
/// </summary>
public sealed class ChartSheet
{
    /// <summary>Where one chart lies on the sheet, in pixels.</summary>
    /// <param name="Top">Distance from the top of the sheet.</param>
    /// <param name="Width">The chart's width.</param>
    /// <param name="Height">The chart's height.</param>
    public sealed record Region(int Top, int Width, int Height);

    /// <summary>The size a chart output without a size attribute is given (what <see cref="ChartOutput.Html"/> defaults to).</summary>
    public static (int Width, int Height) DefaultSize => (1000, 480);

    ChartSheet(IReadOnlyList<Region> regions, byte[]? png)
    {
        Regions = regions;
        Png = png;
    }

    /// <summary>One region per chart, in the order given.</summary>
    public IReadOnlyList<Region> Regions { get; }

    /// <summary>The screenshot of the whole sheet; null when Chromium is missing or failed (or there are no charts).</summary>
    public byte[]? Png { get; }

    /// <summary>
    /// The regions <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of this sheet, on
    /// the same PNG: one sheet can serve several pages (a student's notebooks), for one Chromium run.
    /// </summary>
    public ChartSheet Part(int start, int count) => new(Regions.Skip(start).Take(count).ToList(), Png);

    /// <summary>Sheet width: the widest chart.</summary>
    public int Width => Regions.Count == 0 ? 0 : Regions.Max(r => r.Width);

    /// <summary>Sheet height: the charts' heights summed.</summary>
    public int Height => Regions.Sum(r => r.Height);

    /// <summary>The regions <paramref name="charts"/> (chart outputs' HTML) take on a sheet, without rendering it.</summary>
    public static IReadOnlyList<Region> Layout(IReadOnlyList<string> charts)
    {
        var regions = new List<Region>(charts.Count);
        int top = 0;
        foreach (var chart in charts)
        {
            var sizes = ChartOutput.Sizes(chart);
            var (width, height) = sizes.Count > 0 ? sizes[0] : DefaultSize;
            regions.Add(new Region(top, width, height));
            top += height;
        }
        return regions;
    }

    /// <summary>
    /// The sheet's page: plotly.js inline (so the charts' scripts draw at once, never from the CDN), then each chart in a
    /// box of its size, as SVG (<see cref="AsSvg"/>), no margins, white background.
    /// </summary>
    public static string Page(IReadOnlyList<string> charts)
    {
        var regions = Layout(charts);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}.aelab-sheet-box{overflow:hidden;background:#fff}")
            // A toolbar is no use on a picture.
            .Append(".modebar-container{display:none!important}</style>")
            .Append("<script>").Append(OfflinePage.PlotlyScript).Append("</script></head><body>");
        for (int i = 0; i < charts.Count; i++)
            html.Append($"<div class=\"aelab-sheet-box\" style=\"width:{regions[i].Width}px;height:{regions[i].Height}px\">")
                .Append(AsSvg(charts[i])).Append("</div>");
        return html.Append("</body></html>").ToString();
    }

    /// <summary>
    /// The chart with its WebGL scatter traces drawn as SVG: the same points and markers, and on a picture nobody pans
    /// or zooms, so Chromium's software WebGL (SwiftShader), which took more CPU than everything else on the sheet, is
    /// never started (bench grade).
    /// </summary>
    internal static string AsSvg(string chart) => chart.Replace(WebGlScatter, "\"type\":\"scatter\"", StringComparison.Ordinal);

    const string WebGlScatter = "\"type\":\"scattergl\"";

    /// <summary>
    /// Renders <paramref name="charts"/> (chart outputs' HTML, each drawn by its own script) in one Chromium run. With no
    /// renderer, no charts, or a failed run the sheet has its regions and no <see cref="Png"/>: never an exception.
    /// </summary>
    /// <remarks>
    /// The scripts are the student kernel's output; running them here grants nothing the kernel (the student's own code)
    /// did not have, and only a PNG comes back.
    /// </remarks>
    public static ChartSheet Render(IReadOnlyList<string> charts, ChromiumRenderer? renderer, TimeSpan? timeout = null)
    {
        var regions = Layout(charts);
        if (renderer is null || regions.Count == 0) return new ChartSheet(regions, null);
        var folder = Directory.CreateTempSubdirectory("aelab-sheet-");
        try
        {
            var page = Path.Combine(folder.FullName, "sheet.html");
            var png = Path.Combine(folder.FullName, "sheet.png");
            File.WriteAllText(page, Page(charts));
            // plotly draws synchronously in newPlot; the renderer's virtual-time budget lets anything deferred finish first.
            var sheet = new ChartSheet(regions, null);
            return renderer.Screenshot(page, png, sheet.Width, sheet.Height, timeout) ? new ChartSheet(regions, File.ReadAllBytes(png)) : sheet;
        }
        catch (IOException) { return new ChartSheet(regions, null); }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
