namespace AutoencoderLab.Reproduction;

/// <summary>What <see cref="RunReport.Write"/> produced.</summary>
/// <param name="Path">report.html.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Figures">Ids of the figures on the page.</param>
/// <param name="Pngs">PNG copies written (empty without Chromium).</param>
/// <param name="PngNote">Why there are no PNGs, when there are none.</param>
public sealed record ReportOutput(string Path, long Bytes, IReadOnlyList<string> Figures, IReadOnlyList<string> Pngs, string? PngNote);
