using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoencoderLab.Charts;
using AutoencoderLab.Notebooks;
using static System.Net.WebUtility;

namespace AutoencoderLab.Grading;

/// <summary>
/// A student's feedback on one graded notebook: the executed notebook as one self-contained offline page (no script,
/// nothing fetched), each check's points, outcome and message right below its cell, and the student, notebook,
/// status and total at the top. Charts are PNGs: their own, or their region of the notebook's <see cref="ChartSheet"/>.
/// </summary>
/// <remarks>
/// Everything the student wrote or printed is HTML-encoded; an HTML output is untrusted (the student can display
/// anything) and is shown as its text only.
/// </remarks>
public static partial class FeedbackPage
{
    /// <summary>What a chart that has no PNG (Chromium missing or failed) shows instead.</summary>
    public const string ChartNotRendered = "chart not rendered";

    /// <summary>
    /// The chart outputs of <paramref name="executedNotebook"/> that need rendering (drawn by script, no PNG of their own),
    /// in notebook order: what <see cref="ChartSheet.Render"/> takes for <see cref="Html"/>.
    /// </summary>
    public static IReadOnlyList<string> ChartsToRender(JsonObject executedNotebook) =>
        Cells(executedNotebook).Where(c => c["cell_type"]?.ToString() == "code").SelectMany(c => c["outputs"] as JsonArray ?? [])
            .Select(o => HtmlData(o)).Where(h => h is not null && NeedsRendering(h)).Select(h => h!).ToList();

    /// <summary>
    /// Renders the page with its charts in one Chromium run (<paramref name="renderer"/> null: every chart without its
    /// own PNG says <see cref="ChartNotRendered"/>).
    /// </summary>
    public static string Render(JsonObject executedNotebook, NotebookGrade grade, ChromiumRenderer? renderer) =>
        Html(executedNotebook, grade, ChartSheet.Render(ChartsToRender(executedNotebook), renderer));

    /// <summary>
    /// The page's HTML. <paramref name="charts"/> is the sheet of <see cref="ChartsToRender"/> (its i-th region is the
    /// i-th chart to render); without it, or without its PNG, those charts say <see cref="ChartNotRendered"/>.
    /// </summary>
    public static string Html(JsonObject executedNotebook, NotebookGrade grade, ChartSheet? charts = null)
    {
        var sheet = charts?.Png is null ? null : charts;
        var byId = grade.Cells.GroupBy(c => c.GradeId).ToDictionary(g => g.Key, g => g.First());
        var shown = new HashSet<string>();
        int chart = 0;
        var body = new StringBuilder();
        foreach (var cell in Cells(executedNotebook))
        {
            var nbgrader = cell["metadata"]?["nbgrader"] as JsonObject;
            bool graded = Flag(nbgrader, "grade"), solution = Flag(nbgrader, "solution");
            var type = cell["cell_type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)cell["cell_type"]! : "";
            body.Append(solution ? "<section class=\"cell answer\">" : "<section class=\"cell\">");
            if (solution) body.Append("<div class=\"label\">your answer</div>");
            if (type == "markdown") body.Append("<div class=\"markdown\">").Append(MarkdownHtml.Render(Text(cell["source"]))).Append("</div>");
            else if (type == "code")
            {
                body.Append("<pre class=\"source\">").Append(HtmlEncode(Text(cell["source"]))).Append("</pre>");
                foreach (var output in cell["outputs"] as JsonArray ?? [])
                    if (output is JsonObject o) body.Append(Output(o, sheet, ref chart));
            }
            else body.Append("<pre class=\"source\">").Append(HtmlEncode(Text(cell["source"]))).Append("</pre>");
            if (graded)
            {
                var id = nbgrader!["grade_id"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)nbgrader["grade_id"]! : "";
                if (byId.TryGetValue(id, out var result) && shown.Add(id)) body.Append(Check(result));
                else if (!byId.ContainsKey(id)) body.Append($"<div class=\"check check-ungraded\"><strong>check {HtmlEncode(id)}</strong>: not graded</div>");
            }
            body.Append("</section>\n");
        }
        // A check the grader scored but the page has no cell for (e.g. removed by the student) still shows its message.
        var unplaced = grade.Cells.Where(c => !shown.Contains(c.GradeId)).ToList();
        if (unplaced.Count > 0)
        {
            body.Append("<section class=\"cell\"><h2>Checks not found in your notebook</h2>");
            foreach (var c in unplaced) body.Append(Check(c));
            body.Append("</section>\n");
        }
        return Page(grade, body.ToString(), sheet);
    }

    static string Page(NotebookGrade grade, string body, ChartSheet? sheet)
    {
        var title = $"{grade.Student}: {grade.Notebook}";
        var status = GradeStatusText.Of(grade.Status);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            // No script may run and nothing may be fetched, even if encoding were ever missed somewhere.
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
            .Append($"<title>{HtmlEncode(title)}</title><style>").Append(Style);
        // The sheet is embedded once; every chart shows its region of it.
        if (sheet is not null) html.Append($".sheet{{background-image:url(\"data:image/png;base64,{Convert.ToBase64String(sheet.Png!)}\");background-repeat:no-repeat}}");
        html.Append("</style></head><body>")
            .Append($"<h1>{HtmlEncode(grade.Student)}: {HtmlEncode(grade.Notebook)}</h1>")
            .Append("<div class=\"summary\">")
            .Append($"<p class=\"points\">Points: <strong id=\"total\">{Points(grade.Points)} / {Points(grade.MaxPoints)}</strong></p>")
            .Append($"<p class=\"status status-{CssName(status)}\">Status: <strong>{HtmlEncode(status)}</strong>")
            .Append(string.IsNullOrWhiteSpace(grade.Reason) ? "" : $": {HtmlEncode(grade.Reason)}").Append("</p></div>\n")
            .Append(body)
            .Append("</body></html>\n");
        return html.ToString();
    }

    const string Style =
        "body{font-family:system-ui,sans-serif;max-width:1080px;margin:1.5em auto;padding:0 1em;color:#222}" +
        ".summary{border:1px solid #bbb;border-radius:6px;padding:.2em 1em;margin-bottom:1.5em;background:#f7f7f7}" +
        ".cell{margin:1em 0;padding:.3em .6em;border-left:3px solid transparent}.cell.answer{border-left-color:#3b82f6;background:#f5f9ff}" +
        ".label{font-size:.8em;font-weight:bold;color:#1d4ed8;text-transform:uppercase}" +
        "pre{white-space:pre-wrap;word-wrap:break-word;margin:.3em 0;padding:.5em;font-size:.9em}" +
        "pre.source{background:#f4f4f4;border:1px solid #ddd}pre.stderr,pre.error{background:#fdecec;color:#900}" +
        ".html-output{white-space:pre-wrap;border:1px dashed #ccc;padding:.5em}.math{font-family:serif}" +
        ".chart-box{overflow-x:auto;margin:.5em 0}.chart-missing{border:1px dashed #c00;color:#c00;padding:2em;text-align:center}" +
        ".check{margin:.5em 0;padding:.5em .8em;border-radius:6px;border:2px solid #999;background:#f3f3f3}" +
        ".check-passed{border-color:#15803d;background:#e8f7ee}.check-partial{border-color:#b45309;background:#fff5e0}" +
        ".check-failed{border-color:#b91c1c;background:#fdecec}.check-timeout{border-color:#c2410c;background:#ffedd5}" +
        ".check-tampered{border-color:#7e22ce;background:#f3e8ff}.check-missing,.check-not-run{border-color:#6b7280;background:#f3f4f6}" +
        ".check .message{white-space:pre-wrap;margin:.3em 0 0}";

    static string Check(CellGrade c) =>
        $"<div class=\"check check-{CssName(c.Outcome)}\" data-grade-id=\"{HtmlEncode(c.GradeId)}\">" +
        $"<strong class=\"check-points\">{Points(c.Points)} / {Points(c.MaxPoints)}</strong> points, <strong>{HtmlEncode(c.Outcome)}</strong>" +
        $" <span class=\"check-id\">({HtmlEncode(c.GradeId)})</span><div class=\"message\">{HtmlEncode(c.Message)}</div></div>";

    static string Output(JsonObject output, ChartSheet? sheet, ref int chart)
    {
        var kind = output["output_type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)output["output_type"]! : "";
        if (kind == "stream")
        {
            var stderr = output["name"]?.ToString() == "stderr";
            return $"<pre class=\"{(stderr ? "stderr" : "stream")}\">{HtmlEncode(Terminal(Text(output["text"])))}</pre>";
        }
        if (kind == "error")
        {
            var text = $"{Text(output["ename"])}: {Text(output["evalue"])}";
            var trace = Terminal(string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(t => Text(t))));
            return $"<pre class=\"error\">{HtmlEncode(Terminal(text))}</pre>" +
                   (string.IsNullOrWhiteSpace(trace) || trace.Trim() == Terminal(text).Trim() ? "" : $"<details><summary>traceback</summary><pre class=\"error\">{HtmlEncode(trace)}</pre></details>");
        }
        if (output["data"] is not JsonObject data) return "";
        if (HtmlData(output) is { } html)
        {
            if (ChartOutput.IsChart(html) && OwnPng().Match(html) is { Success: true } own)
                return $"<div class=\"chart-box\"><img src=\"data:image/png;base64,{own.Groups[1].Value}\" alt=\"chart\" style=\"max-width:100%;height:auto\"></div>";
            if (NeedsRendering(html))
            {
                var index = chart++;
                if (sheet is null || index >= sheet.Regions.Count) return $"<div class=\"chart-box\"><div class=\"chart-missing\">{ChartNotRendered}</div></div>";
                var r = sheet.Regions[index];
                return $"<div class=\"chart-box\"><div class=\"sheet\" role=\"img\" aria-label=\"chart\" style=\"width:{r.Width}px;height:{r.Height}px;background-position:0 -{r.Top}px\"></div></div>";
            }
            return $"<div class=\"html-output\">{HtmlEncode(TextOf(html))}</div>";
        }
        if (data["image/png"] is { } image && Base64().IsMatch(Text(image).Replace("\n", "", StringComparison.Ordinal)))
            return $"<div class=\"chart-box\"><img src=\"data:image/png;base64,{Text(image).Replace("\n", "", StringComparison.Ordinal)}\" alt=\"image\" style=\"max-width:100%\"></div>";
        if (data["text/plain"] is { } plain) return $"<pre class=\"stream\">{HtmlEncode(Terminal(Text(plain)))}</pre>";
        return "";
    }

    static string? HtmlData(JsonNode? output) => output?["data"]?["text/html"] is { } html ? Text(html) : null;

    /// <summary>A chart drawn by its script with no PNG of its own (the grader's kernels run without them).</summary>
    static bool NeedsRendering(string html) =>
        !ChartOutput.IsChart(html) && html.Contains(ChartOutput.SizeAttribute + "=\"", StringComparison.Ordinal)
        && html.Contains("window.Plotly.newPlot(el", StringComparison.Ordinal);

    /// <summary>An untrusted HTML output's visible text: scripts, styles and comments dropped, tags removed, entities decoded.</summary>
    static string TextOf(string html)
    {
        var text = Invisible().Replace(html, "");
        text = LineBreakTag().Replace(text, "\n");
        text = Tag().Replace(text, "");
        return HtmlDecode(text).Trim();
    }

    /// <summary>What a terminal would show: ANSI colours dropped, a carriage return overwriting its line.</summary>
    static string Terminal(string text)
    {
        text = Ansi().Replace(text, "");
        text = string.Join("\n", text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l[(l.LastIndexOf('\r') + 1)..]));
        return Control().Replace(text, "");
    }

    static IEnumerable<JsonObject> Cells(JsonObject notebook) => (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>();

    static bool Flag(JsonObject? o, string name) => o?[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    /// <summary>A notebook text field: a string, or an array of strings to concatenate.</summary>
    static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(Text)),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        null => "",
        _ => node.ToJsonString(),
    };

    static string Points(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);

    static string CssName(string text) => CssInvalid().Replace(text.Trim().ToLowerInvariant(), "-");

    [GeneratedRegex(@"<img src=""data:image/png;base64,([A-Za-z0-9+/]+={0,2})""")] private static partial Regex OwnPng();
    [GeneratedRegex(@"^[A-Za-z0-9+/]+={0,2}$")] private static partial Regex Base64();
    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>|<!--.*?-->", RegexOptions.Singleline | RegexOptions.IgnoreCase)] private static partial Regex Invisible();
    [GeneratedRegex(@"<br\s*/?>|</(p|div|tr|li|h[1-6]|pre|table)\s*>", RegexOptions.IgnoreCase)] private static partial Regex LineBreakTag();
    [GeneratedRegex(@"<[^>]*>?")] private static partial Regex Tag();
    [GeneratedRegex(@"\x1B(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)|[@-Z\\-_])")] private static partial Regex Ansi();
    [GeneratedRegex(@"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")] private static partial Regex Control();
    [GeneratedRegex(@"[^a-z0-9]+")] private static partial Regex CssInvalid();
}
