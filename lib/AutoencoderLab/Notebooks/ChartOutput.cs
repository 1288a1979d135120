using System.Text.Json.Nodes;
using AutoencoderLab.Charts;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// A chart as a notebook output: a static PNG (shown by every client, GitHub and offline viewers included) that the
/// interactive plotly.js chart replaces where scripts run. plotly.js is embedded once per kernel session, in the first
/// chart, so an offline class gets interactive charts without repeating megabytes in every output; headless runs (the
/// committed reference outputs) never embed it and load it from the CDN when a reader is online.
/// </summary>
public sealed class ChartOutput(ChromiumRenderer? renderer, bool embedPlotly)
{
    const string PlotlyCdn = "https://cdn.plot.ly/plotly-2.28.0.min.js"; // the version Plotly.NET 6 embeds
    bool embedded;

    /// <summary>The HTML of one chart output, <paramref name="height"/> pixels high.</summary>
    public string Html(Figure figure, int height, int width = 1000)
    {
        var id = $"{figure.Id}-{Guid.NewGuid():N}"[..(figure.Id.Length + 13)];
        var png = renderer is null ? null : FigureImage.Png(figure, width, height, renderer);
        JsonObject json = figure.ToJson();
        json["data"] = Compact(json["data"]!);
        var image = png is null ? "" :
            $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{System.Net.WebUtility.HtmlEncode(figure.Title)}\" style=\"max-width:100%;height:auto\">";
        var plotly = "";
        if (embedPlotly && !embedded)
        {
            embedded = true;
            // An AMD loader (classic Jupyter's require.js) would swallow plotly.js's global: hide it while it loads.
            plotly = $"<script>window.__aelabDefine = window.define; window.define = undefined;</script><script>{OfflinePage.PlotlyScript}</script><script>window.define = window.__aelabDefine;</script>";
        }
        var draw =
            $"<script>(function () {{ var id = '{id}', data = {json["data"]!.ToJsonString()}, layout = {json["layout"]!.ToJsonString()};" +
            $" function draw() {{ var el = document.getElementById(id); if (!el || !window.Plotly) return; el.innerHTML = ''; el.style.height = '{height}px';" +
            " window.Plotly.newPlot(el, data, layout, {responsive: true, displaylogo: false}); }" +
            $" if (window.Plotly) {{ draw(); return; }} var define = window.define; window.define = undefined; var s = document.createElement('script'); s.src = '{PlotlyCdn}';" +
            " s.onload = function () { window.define = define; draw(); }; s.onerror = function () { window.define = define; }; document.head.appendChild(s); })();</script>";
        return $"{plotly}<div id=\"{id}\" {SizeAttribute}=\"{width}x{height}\" style=\"width:100%;max-width:{width}px\">{image}</div>{draw}";
    }

    /// <summary>The attribute of a chart's element that gives its size in pixels, <c>WIDTHxHEIGHT</c> (how a grader renders it again).</summary>
    public const string SizeAttribute = "data-aelab-chart";

    /// <summary>The size of each chart in <paramref name="html"/> (a chart output), in order.</summary>
    public static IReadOnlyList<(int Width, int Height)> Sizes(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, SizeAttribute + "=\"(\\d+)x(\\d+)\"")
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>True when <paramref name="html"/> is a chart output as a client renders it: the PNG and the drawing script, not escaped into text.</summary>
    public static bool IsChart(string html) =>
        html.Contains("<img src=\"data:image/png;base64,", StringComparison.Ordinal) && html.Contains("window.Plotly.newPlot(el", StringComparison.Ordinal);

    /// <summary>
    /// The traces with every number rounded to 4 significant digits: a screen shows no more, and the long loss curves and
    /// 20,000-point maps then take a fraction of the space in a committed notebook.
    /// </summary>
    public static JsonNode Compact(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Compact(p.Value)))),
        JsonArray a => new JsonArray(a.Select(v => v is null ? null : Compact(v)).ToArray()),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(Round(v.GetValue<double>())),
        _ => node.DeepClone(),
    };

    static double Round(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        int digits = 3 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : double.Parse(value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }
}
