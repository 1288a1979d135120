using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoencoderLab.Charts;

/// <summary>
/// A self-contained HTML page: plotly.js embedded once (from Plotly.NET's own copy), then any mix of
/// HTML sections and figures. It opens with no network: nothing is fetched from a CDN.
/// </summary>
public sealed class OfflinePage(string title)
{
    readonly StringBuilder body = new();
    readonly List<Figure> figures = [];

    /// <summary>plotly.min.js as shipped inside Plotly.NET.</summary>
    public static string PlotlyScript => plotly.Value;

    static readonly Lazy<string> plotly = new(() =>
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // "</script" inside the script would end the HTML element early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>Adds raw HTML (already escaped where needed).</summary>
    public OfflinePage Html(string html) { body.AppendLine(html); return this; }

    /// <summary>Adds a heading.</summary>
    public OfflinePage Heading(string text, int level = 2) => Html($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>");

    /// <summary>Adds a paragraph of plain text.</summary>
    public OfflinePage Paragraph(string text) => Html($"<p>{WebUtility.HtmlEncode(text)}</p>");

    /// <summary>Adds a figure, drawn by plotly.js when the page loads.</summary>
    public OfflinePage Add(Figure figure, int height = 480)
    {
        figures.Add(figure);
        return Html($"<div class=\"figure\" id=\"{figure.Id}\" style=\"height:{height}px\"></div>");
    }

    /// <summary>The page's HTML.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{WebUtility.HtmlEncode(title)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}" +
                        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f4f4f4}" +
                        "td:first-child,th:first-child{text-align:left}.figure{width:100%;margin-bottom:2em}</style>");
        html.AppendLine("<script>").AppendLine(PlotlyScript).AppendLine("</script></head><body>");
        html.AppendLine($"<h1>{WebUtility.HtmlEncode(title)}</h1>");
        html.Append(body);
        html.AppendLine("<script>");
        foreach (var figure in figures)
        {
            JsonObject json = figure.ToJson();
            html.AppendLine($"Plotly.newPlot('{figure.Id}', {json["data"]!.ToJsonString()}, {json["layout"]!.ToJsonString()}, {{responsive: true, displaylogo: false}});");
        }
        html.AppendLine("</script></body></html>");
        return html.ToString();
    }

    /// <summary>
    /// One figure alone on a page of exactly <paramref name="width"/> x <paramref name="height"/> pixels, as a static plot
    /// (no heading, no toolbar): what a PNG copy of the figure is screenshot from.
    /// </summary>
    public static string Bare(Figure figure, int width, int height)
    {
        JsonObject json = figure.ToJson();
        var layout = json["layout"]!.AsObject();
        layout["autosize"] = false;
        layout["width"] = width;
        layout["height"] = height;
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}</style>" +
               $"<script>{PlotlyScript}</script></head><body><div id=\"{figure.Id}\"></div><script>" +
               $"Plotly.newPlot('{figure.Id}', {json["data"]!.ToJsonString()}, {layout.ToJsonString()}, {{staticPlot: true, displayModeBar: false}});" +
               "</script></body></html>";
    }

    /// <summary>Writes the page atomically; returns its size in bytes.</summary>
    public long Save(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(ToHtml());
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return bytes.Length;
    }
}
