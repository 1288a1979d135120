using Newtonsoft.Json;
using Plotly.NET;

namespace AutoencoderLab.Charts;

/// <summary>
/// A chart's figure JSON ({data, layout, frames}), the text <c>GenericChart.toFigureJson</c> writes, with Plotly.NET's
/// serializer settings except one: while guarding against cycles the serializer compares objects by reference.
/// With Plotly.NET's own settings it compared them by DynamicObj's structural hash, over and over for every nested
/// object, so a 1,000-point map took a quarter of a CPU-second and a notebook kernel's first chart more than one.
/// </summary>
internal static class FigureJson
{
    static readonly JsonSerializerSettings Settings = new()
    {
        ReferenceLoopHandling = ReferenceLoopHandling.Serialize, // Plotly.NET's Globals.JSON_CONFIG
        EqualityComparer = ReferenceEqualityComparer.Instance,
    };

    /// <summary>The figure JSON of <paramref name="chart"/>.</summary>
    public static string Of(GenericChart chart) => JsonConvert.SerializeObject(GenericChart.toFigure(chart), Settings);
}
