using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoencoderLab.Grading;

/// <summary>
/// The class's grades: one row per (student, notebook), kept as <c>gradebook.csv</c> (points per check cell, for a
/// spreadsheet or an LMS import) and <c>gradebook.json</c> (the same with every check's message, read back to resume).
/// The columns come from the course, not the rows, so the gradebooks of shards concatenate.
/// </summary>
public sealed class Gradebook
{
    /// <summary>The CSV file's name.</summary>
    public const string CsvName = "gradebook.csv";

    /// <summary>The JSON file's name.</summary>
    public const string JsonName = "gradebook.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new StatusConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    readonly List<NotebookGrade> rows = [];
    readonly List<string> notebooks;

    /// <summary>An empty gradebook whose check columns are those of <paramref name="course"/>, in order.</summary>
    public Gradebook(IReadOnlyList<CourseNotebook> course)
    {
        Columns = course.SelectMany(n => n.Checks.Select(c => c.GradeId)).Distinct().ToList();
        notebooks = course.Select(n => n.Name).ToList();
    }

    /// <summary>The check cells' grade ids: one CSV column each.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Every row, students in name order, each student's notebooks in course order.</summary>
    public IReadOnlyList<NotebookGrade> Rows => rows;

    /// <summary>The rows of <paramref name="student"/>.</summary>
    public IReadOnlyList<NotebookGrade> Of(string student) => rows.Where(r => r.Student == student).ToList();

    /// <summary>Replaces every row of <paramref name="student"/> with <paramref name="grades"/>.</summary>
    public void Set(string student, IEnumerable<NotebookGrade> grades)
    {
        rows.RemoveAll(r => r.Student == student);
        rows.AddRange(grades);
        var sorted = rows.OrderBy(r => r.Student, StringComparer.Ordinal).ThenBy(r => Position(r.Notebook)).ThenBy(r => r.Notebook, StringComparer.Ordinal).ToList();
        rows.Clear();
        rows.AddRange(sorted);
    }

    int Position(string notebook) => notebooks.IndexOf(notebook) is var i && i >= 0 ? i : notebooks.Count;

    /// <summary>The gradebook in <paramref name="folder"/>'s <c>gradebook.json</c>, or an empty one when there is none.</summary>
    public static Gradebook Open(string folder, IReadOnlyList<CourseNotebook> course)
    {
        var book = new Gradebook(course);
        var path = Path.Combine(folder, JsonName);
        if (!File.Exists(path)) return book;
        Stored? stored;
        try { stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new AutoencoderLabException($"{path} is not a gradebook ({e.Message}): move it away, or grade into another --out.", e); }
        foreach (var group in (stored?.Grades ?? []).GroupBy(g => g.Student)) book.Set(group.Key, group);
        return book;
    }

    /// <summary>Writes <c>gradebook.csv</c> and <c>gradebook.json</c> into <paramref name="folder"/> (each file whole or not at all).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, CsvName), s => s.Write(Encoding.UTF8.GetBytes(ToCsv())));
        AtomicFile.Write(Path.Combine(folder, JsonName), s => s.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Stored(Columns, rows), Json) + "\n")));
    }

    /// <summary>The CSV text: <c>student,notebook,points,max_points,status,reason</c>, then one column per check cell.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", new[] { "student", "notebook", "points", "max_points", "status", "reason" }.Concat(Columns).Select(Field)));
        foreach (var row in rows)
        {
            var cells = Columns.Select(c => row.Cells.FirstOrDefault(g => g.GradeId == c) is { } g ? Number(g.Points) : "");
            csv.AppendLine(string.Join(",", new[] { row.Student, row.Notebook, Number(row.Points), Number(row.MaxPoints), GradeStatusText.Of(row.Status), row.Reason ?? "" }
                .Concat(cells).Select(Field)));
        }
        return csv.ToString();
    }

    static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    // RFC 4180; a leading = + - @ would make a spreadsheet run the cell as a formula (a student names the folder).
    static string Field(string text)
    {
        if (text.Length > 0 && "=+-@".Contains(text[0]) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    sealed record Stored(IReadOnlyList<string> Columns, IReadOnlyList<NotebookGrade> Grades);

    sealed class StatusConverter : JsonConverter<GradeStatus>
    {
        public override GradeStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try { return GradeStatusText.Parse(reader.GetString() ?? ""); }
            catch (FormatException e) { throw new JsonException(e.Message, e); }
        }

        public override void Write(Utf8JsonWriter writer, GradeStatus value, JsonSerializerOptions options) => writer.WriteStringValue(GradeStatusText.Of(value));
    }
}
