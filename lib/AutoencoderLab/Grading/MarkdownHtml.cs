using System.Text;
using System.Text.RegularExpressions;
using static System.Net.WebUtility;

namespace AutoencoderLab.Grading;

/// <summary>
/// Minimal, safe Markdown for the <see cref="FeedbackPage"/>: headings, paragraphs, lists, code fences, inline code,
/// <c>$math$</c>, bold and italic. The text is HTML-encoded before any tag is added, so a student's raw HTML, script or
/// link shows as text: nothing is fetched and nothing runs.
/// </summary>
internal static partial class MarkdownHtml
{
    /// <summary>The HTML of <paramref name="source"/>: headings, paragraphs, lists, code fences, inline code, math, bold and italic.</summary>
    public static string Render(string source)
    {
        var html = new StringBuilder();
        var paragraph = new List<string>();
        var items = new List<string>();
        bool ordered = false;
        void Flush()
        {
            if (paragraph.Count > 0) html.Append("<p>").Append(Inline(string.Join("\n", paragraph))).Append("</p>");
            paragraph.Clear();
            if (items.Count > 0)
            {
                html.Append(ordered ? "<ol>" : "<ul>");
                foreach (var item in items) html.Append("<li>").Append(Inline(item)).Append("</li>");
                html.Append(ordered ? "</ol>" : "</ul>");
            }
            items.Clear();
        }
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                Flush();
                var fence = line.TrimStart()[..3];
                var code = new List<string>();
                while (++i < lines.Length && !lines[i].TrimStart().StartsWith(fence, StringComparison.Ordinal)) code.Add(lines[i]);
                html.Append("<pre class=\"source\"><code>").Append(HtmlEncode(string.Join("\n", code))).Append("</code></pre>");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) { Flush(); continue; }
            if (Heading().Match(line) is { Success: true } heading)
            {
                Flush();
                int level = heading.Groups[1].Length;
                html.Append($"<h{level}>").Append(Inline(heading.Groups[2].Value.Trim())).Append($"</h{level}>");
                continue;
            }
            if (ListItem().Match(line) is { Success: true } item)
            {
                bool numbered = char.IsDigit(item.Groups[1].Value[0]);
                if (paragraph.Count > 0 || (items.Count > 0 && numbered != ordered)) Flush();
                ordered = numbered;
                items.Add(item.Groups[2].Value);
                continue;
            }
            if (items.Count > 0 && char.IsWhiteSpace(line[0])) { items[^1] += "\n" + line.Trim(); continue; }
            if (items.Count > 0) Flush();
            paragraph.Add(line);
        }
        Flush();
        return html.ToString();
    }

    /// <summary>Inline code and <c>$math$</c> kept verbatim; bold and italic elsewhere; all text encoded.</summary>
    static string Inline(string text)
    {
        var html = new StringBuilder();
        int at = 0;
        foreach (Match m in Verbatim().Matches(text))
        {
            html.Append(Emphasis(HtmlEncode(text[at..m.Index])));
            html.Append(m.Value[0] == '`' ? $"<code>{HtmlEncode(m.Value[1..^1])}</code>" : $"<span class=\"math\">{HtmlEncode(m.Value)}</span>");
            at = m.Index + m.Length;
        }
        return html.Append(Emphasis(HtmlEncode(text[at..]))).ToString();
    }

    static string Emphasis(string encoded)
    {
        encoded = Strong().Replace(encoded, "<strong>$2</strong>");
        return Em().Replace(encoded, m => $"<em>{(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)}</em>");
    }

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")] private static partial Regex Heading();
    [GeneratedRegex(@"^\s{0,3}([-*+]|\d{1,9}[.)])\s+(.*)$")] private static partial Regex ListItem();
    [GeneratedRegex(@"`[^`\n]+`|\$\$.+?\$\$|\$[^$\n]+\$", RegexOptions.Singleline)] private static partial Regex Verbatim();
    [GeneratedRegex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", RegexOptions.Singleline)] private static partial Regex Strong();
    [GeneratedRegex(@"\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", RegexOptions.Singleline)] private static partial Regex Em();
}
