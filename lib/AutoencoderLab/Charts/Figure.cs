using System.Text.Json.Nodes;
using Plotly.NET;

namespace AutoencoderLab.Charts;

/// <summary>
/// A chart ready for a page: a Plotly.NET chart, its title, and layout settings applied to its figure JSON
/// (titles and the like, which Plotly.NET.CSharp does not expose). <see cref="Id"/> names its container.
/// </summary>
public sealed class Figure(string id, string title, GenericChart chart, Action<JsonObject>? layout = null)
{
    /// <summary>HTML id of the chart's container, also the PNG file name.</summary>
    public string Id { get; } = id;
    /// <summary>Title shown above the chart.</summary>
    public string Title { get; } = title;
    /// <summary>The Plotly.NET chart.</summary>
    public GenericChart Chart { get; } = chart;

    /// <summary>Plotly's figure JSON ({data, layout}) with the title and layout settings applied.</summary>
    public JsonObject ToJson()
    {
        var figure = JsonNode.Parse(FigureJson.Of(Chart))!.AsObject();
        var layoutNode = figure["layout"] as JsonObject ?? new JsonObject();
        figure["layout"] = layoutNode;
        layoutNode["title"] = new JsonObject { ["text"] = Title };
        // Fill the page's container instead of Plotly.NET's fixed 600 x 600.
        layoutNode.Remove("width");
        layoutNode.Remove("height");
        layoutNode["autosize"] = true;
        layout?.Invoke(layoutNode);
        return figure;
    }
}
