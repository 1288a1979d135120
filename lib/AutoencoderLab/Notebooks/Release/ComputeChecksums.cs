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
            if (cell["metadata"]?["nbgrader"] is JsonObject grading && (IsGrade(grading) || IsSolution(grading) || IsLocked(grading)))
                grading["checksum"] = Of(cell);
    }

    /// <summary>nbgrader's <c>compute_checksum</c>: md5 of source, cell type, the grade/solution/locked flags, the grade id and (graded cells) the points.</summary>
    public static string Of(JsonObject cell)
    {
        var grading = cell["metadata"]!["nbgrader"]!.AsObject();
        var text = new StringBuilder()
            .Append(NotebookCells.Source(cell))
            .Append(cell["cell_type"]!.GetValue<string>())
            .Append(IsGrade(grading) ? "True" : "False")
            .Append(IsSolution(grading) ? "True" : "False")
            .Append(IsLocked(grading) ? "True" : "False")
            .Append(grading["grade_id"]!.GetValue<string>());
        if (IsGrade(grading)) text.Append(Python.Float(grading["points"]!.GetValue<double>()));
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    static bool Flag(JsonObject grading, string name) => grading[name]?.GetValue<bool>() == true;
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
