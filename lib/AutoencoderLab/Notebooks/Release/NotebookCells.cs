using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>Helpers shared by the transformations: a cell's source as text, and back.</summary>
public static class NotebookCells
{
    /// <summary>The cells of a notebook.</summary>
    public static IEnumerable<JsonObject> Of(JsonObject notebook) => (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>
    /// The cell's source joined into one string: nbformat allows a list of lines or one string. A cell without source
    /// has none (""), and so does a source of another shape (a number, or a list holding anything but strings).
    /// </summary>
    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines when lines.All(l => l is JsonValue line && line.TryGetValue(out string? _)) => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue text when text.TryGetValue(out string? source) => source,
        _ => "",
    };

    /// <summary>Sets the cell's source as Jupyter writes it: one string per line, each but the last ending in a newline.</summary>
    public static void SetSource(JsonObject cell, string source)
    {
        var lines = new JsonArray();
        var parts = source.Split('\n');
        for (int i = 0; i < parts.Length; i++)
            if (i < parts.Length - 1) lines.Add(parts[i] + "\n");
            else if (parts[i].Length > 0) lines.Add(parts[i]);
        cell["source"] = lines;
    }

    static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The notebook as .ipynb text (indent 1, as Jupyter writes it, and a final newline).</summary>
    public static string Serialize(JsonObject notebook) => notebook.ToJsonString(Json) + "\n";

    /// <summary>True for code cells.</summary>
    public static bool IsCode(JsonObject cell) => cell["cell_type"]?.GetValue<string>() == "code";

    /// <summary>The first error output of an executed cell as <c>ename: evalue</c> (the kernel's message), or null when it has none.</summary>
    public static string? Error(JsonObject cell) =>
        (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error") is { } error
            ? $"{error["ename"]?.GetValue<string>()}: {error["evalue"]?.GetValue<string>()}"
            : null;
}
