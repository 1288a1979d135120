using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>
/// Records in every nbgrader cell (graded, solution or locked) a checksum of what the student received, exactly as
/// nbgrader's ComputeChecksums does, so grading can tell a changed check cell (nbgrader's own tools agree with it).
/// </summary>
public sealed class ComputeChecksums : INotebookTransform
{
    /// <inheritdoc />
    public void Apply(JsonObject notebook)
    {
        foreach (var cell in NotebookCells.Of(notebook))
            if (cell["metadata"]?["nbgrader"] is JsonObject grading && (IsGrade(grading) || IsSolution(grading) || IsLocked(grading))
)
                grading["checksum"] = Of(cell) ?? throw new AutoencoderLabException(
                    $"A cell's nbgrader metadata ({grading.ToJsonString()}) lacks its grade_id or, for a graded cell, its points; or the cell its cell_type.");
    }

    /// <summary>
    /// nbgrader's <c>compute_checksum</c>: md5 of source, cell type, the grade/solution/locked flags, the grade id and
    /// (graded cells) the points. Null when the cell lacks one of them (no nbgrader metadata, no cell type or grade id,
    /// a graded cell without numeric points): such a cell has no checksum, so it matches none.
    /// </summary>
    public static string? Of(JsonObject cell)
    {
        if (cell["metadata"] is not JsonObject metadata || metadata["nbgrader"] is not JsonObject grading) return null;
        if (!Text(cell["cell_type"], out var type) || !Text(grading["grade_id"], out var id)) return null;
        var text = new StringBuilder()
            .Append(NotebookCells.Source(cell))
            .Append(type)
            .Append(IsGrade(grading) ? "True" : "False")
            .Append(IsSolution(grading) ? "True" : "False")
            .Append(IsLocked(grading) ? "True" : "False")
            .Append(id);
        if (IsGrade(grading))
        {
            if (grading["points"] is not JsonValue points || !points.TryGetValue(out double value)) return null;
            text.Append(Python.Float(value));
        }
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    static bool Text(JsonNode? node, out string text)
    {
        text = node is JsonValue value && value.TryGetValue(out string? s) ? s : "";
        return node is JsonValue v && v.TryGetValue(out string? _);
    }

    static bool Flag(JsonObject grading, string name) => grading[name] is JsonValue flag && flag.TryGetValue(out bool set) && set;
    static bool IsGrade(JsonObject grading) => Flag(grading, "grade");
    static bool IsSolution(JsonObject grading) => Flag(grading, "solution");
    // nbgrader: a solution cell is never locked, a graded cell always is.
    static bool IsLocked(JsonObject grading) => !IsSolution(grading) && (IsGrade(grading) || Flag(grading, "locked"));

    static class Python
    {
        // str(float(x)) for the small whole and decimal numbers points are: 2 -> "2.0", 1.5 -> "1.5".
        public static string Float(double value) =>
            value == Math.Floor(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
