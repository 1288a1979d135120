namespace AutoencoderLab.Charts;

/// <summary>The ten fixed digit colours of every scatter (matplotlib's tab10, as the original used).</summary>
public static class DigitColors
{
    /// <summary>Colour of digit 0..9 as #rrggbb.</summary>
    public static IReadOnlyList<string> Hex { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
}
