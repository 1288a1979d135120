using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoencoderLab.Charts;
using AutoencoderLab.Grading;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Grading;

/// <summary>
/// The student's feedback page from a synthetic executed notebook: points next to their cells, student output never
/// markup, nothing fetched, charts as regions of one sheet PNG; then the written page opened offline in Chromium.
/// </summary>
public class FeedbackPageTests
{
    const string StudentHtml =
        "<script>document.title = 'pwned'</script><img src=x onerror=\"document.body.innerHTML='pwned'\">" +
        "<b>hello from the student</b><script src=\"https://evil.example/x.js\"></script>";

    static readonly NotebookGrade Grade = new("alice", "02-training", 3, 5, GradeStatus.Ok, null,
        [new CellGrade("loop-check", 3, 3, "passed", "loop matches the reference, step by step"),
         new CellGrade("curve-check", 0, 2, "failed", "the loss does not go down")], 12.5, 4.0);

    static JsonObject Code(string source, JsonArray outputs, JsonObject? nbgrader = null) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = 1,
        ["metadata"] = nbgrader is null ? new JsonObject() : new JsonObject { ["nbgrader"] = nbgrader },
        ["source"] = new JsonArray(source.Split('\n').Select(l => (JsonNode)JsonValue.Create(l + "\n")!).ToArray()),
        ["outputs"] = outputs,
    };

    static JsonObject Display(string mime, string text) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { [mime] = text },
        ["metadata"] = new JsonObject(),
    };

    static JsonObject Check(string id, double points) => new()
    {
        ["grade"] = true, ["locked"] = true, ["solution"] = false, ["points"] = points, ["grade_id"] = id, ["schema_version"] = 3, ["task"] = false,
    };

    static (Figure, Figure) Figures(float scale = 1)
    {
        var losses = Enumerable.Range(0, 40).Select(i => scale * 0.5f / (1 + i)).ToList();
        var confusion = new long[10, 10];
        for (int d = 0; d < 10; d++) { confusion[d, d] = 80 + 2 * d; confusion[d, (d + 1) % 10] = 20 - 2 * d; }
        return (LossFigures.Training(losses), ClassifierFigures.PerClassAccuracy([("latent", confusion)]));
    }

    /// <summary>Markdown, a solution cell with output, two check cells, an error, two charts (no PNG, as in grading) and student HTML.</summary>
    static JsonObject Notebook()
    {
        var (loss, perClass) = Figures();
        var charts = new ChartOutput(null, false);
        return new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new JsonObject(),
            ["cells"] = new JsonArray(
                new JsonObject
                {
                    ["cell_type"] = "markdown", ["metadata"] = new JsonObject(),
                    ["source"] = "# Problem 2\n\nThe **mean squared error** of `model` over $x_i$.\n\n- one <b>item</b>\n- two *items*\n\n```\nvar x = 1 < 2;\n```",
                },
                Code("for (int epoch = 0; epoch < epochs; epoch++) Step();", [
                    new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("epoch 1 of 2\n", "epoch 2 of 2\n") },
                    new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = "\u001b[31mwarning: slow\u001b[0m\n" }],
                    new JsonObject { ["grade"] = false, ["solution"] = true, ["grade_id"] = "loop", ["locked"] = false }),
                Code("Checks.Loop(model);", [Display("text/plain", "Problem 2 loop looks right.")], Check("loop-check", 3)),
                Code("var y = undefinedName;", [new JsonObject
                {
                    ["output_type"] = "error", ["ename"] = "Error", ["evalue"] = "(1,9): error CS0103: The name 'undefinedName' does not exist",
                    ["traceback"] = new JsonArray("\u001b[0;31m(1,9): error CS0103\u001b[0m"),
                }]),
                Code("display(LossFigures.Training(losses));", [Display("text/html", charts.Html(loss, 300))]),
                Code("display(ClassifierFigures.PerClassAccuracy(matrices));", [Display("text/html", charts.Html(perClass, 400))]),
                Code("display(HTML(studentMarkup));", [Display("text/html", StudentHtml)]),
                Code("Checks.Curve(losses);", [], Check("curve-check", 2))),
        };
    }

    static string Between(string html, string from, string to)
    {
        int start = html.IndexOf(from, StringComparison.Ordinal), end = html.IndexOf(to, start + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"'{from}' is not followed by '{to}'");
        return html[start..end];
    }

    static void AssertNoStudentMarkupAndNothingFetched(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("pwned", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:|//)|url\(\s*[""']?\s*(https?:|//)|@import", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_shows_each_check_next_to_its_cell_and_student_output_only_as_text()
    {
        var html = FeedbackPage.Html(Notebook(), Grade);

        Assert.Contains("<title>alice: 02-training</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>alice: 02-training</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Points: <strong id=\"total\">3 / 5</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Status: <strong>ok</strong>", html, StringComparison.Ordinal);
        // Each check right after its own cell's source, before the next cell's.
        var loop = Between(html, "Checks.Loop(model);", "var y = undefinedName;");
        Assert.Contains("Problem 2 loop looks right.", loop, StringComparison.Ordinal);
        Assert.Contains("class=\"check check-passed\"", loop, StringComparison.Ordinal);
        Assert.Contains("3 / 3", loop, StringComparison.Ordinal);
        Assert.Contains("loop matches the reference, step by step", loop, StringComparison.Ordinal);
        var curve = html[html.IndexOf("Checks.Curve(losses);", StringComparison.Ordinal)..];
        Assert.Contains("class=\"check check-failed\"", curve, StringComparison.Ordinal);
        Assert.Contains("0 / 2", curve, StringComparison.Ordinal);
        Assert.Contains("the loss does not go down", curve, StringComparison.Ordinal);
        Assert.DoesNotContain("loop matches the reference", curve, StringComparison.Ordinal);
        Assert.Contains("your answer", Between(html, "<h1>Problem 2", "Checks.Loop(model);"), StringComparison.Ordinal);

        // Outputs: streams, the error without its colour codes, the markdown rendered but its HTML encoded.
        Assert.Contains("epoch 1 of 2\nepoch 2 of 2", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"stderr\">warning: slow", html, StringComparison.Ordinal);
        Assert.Contains("Error: (1,9): error CS0103: The name &#39;undefinedName&#39; does not exist", html, StringComparison.Ordinal);
        Assert.Contains("<strong>mean squared error</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>model</code>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"math\">$x_i$</span>", html, StringComparison.Ordinal);
        Assert.Contains("<li>one &lt;b&gt;item&lt;/b&gt;</li><li>two <em>items</em></li>", html, StringComparison.Ordinal);
        Assert.Contains("<code>var x = 1 &lt; 2;</code>", html, StringComparison.Ordinal);

        // The student's HTML: its text, never its markup; no script on the page at all.
        Assert.Contains("<div class=\"html-output\">hello from the student</div>", html, StringComparison.Ordinal);
        AssertNoStudentMarkupAndNothingFetched(html);
        // Without a sheet the two charts say so, where they were.
        Assert.Equal(2, Regex.Matches(html, FeedbackPage.ChartNotRendered).Count);
        Assert.Contains(FeedbackPage.ChartNotRendered, Between(html, "LossFigures.Training(losses)", "ClassifierFigures.PerClassAccuracy"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_charts_to_render_are_the_two_chart_outputs_and_lie_stacked_on_the_sheet()
    {
        var charts = FeedbackPage.ChartsToRender(Notebook());
        Assert.Equal(2, charts.Count);
        Assert.Equal([new ChartSheet.Region(0, 1000, 300), new ChartSheet.Region(300, 1000, 400)], ChartSheet.Layout(charts));
        var page = ChartSheet.Page(charts);
        Assert.DoesNotContain("cdn.plot.ly/plotly-2.28.0.min.js\"", page, StringComparison.Ordinal); // plotly inline, first: the CDN branch never runs
        Assert.True(page.IndexOf(OfflinePage.PlotlyScript[..200], StringComparison.Ordinal) < page.IndexOf("data-aelab-chart", StringComparison.Ordinal));
        Assert.Contains("style=\"width:1000px;height:400px\"", page, StringComparison.Ordinal);
        // Scatter traces drawn as SVG: no software WebGL for a picture.
        Assert.Contains("\"type\":\"scattergl\"", string.Concat(charts), StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\":\"scattergl\"", page, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"scatter\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chromium_that_fails_leaves_chart_not_rendered_and_no_exception()
    {
        var notebook = Notebook();
        var html = FeedbackPage.Render(notebook, Grade, new ChromiumRenderer("/nonexistent/chromium"));
        Assert.Equal(2, Regex.Matches(html, FeedbackPage.ChartNotRendered).Count);
        Assert.Contains("3 / 5", html, StringComparison.Ordinal);
    }

    internal static ChromiumRenderer Chromium()
    {
        var renderer = ChromiumRenderer.Find();
        Skip.If(renderer is null, "No Chromium: install Debian's 'chromium' (.ci/run does) or set AELAB_CHROMIUM.");
        return renderer!;
    }

    /// <summary>The DOM Chromium has after loading <paramref name="page"/> from file:// (no network is configured).</summary>
    internal static string DumpDom(ChromiumRenderer renderer, string page)
    {
        var profile = Directory.CreateTempSubdirectory("aelab-test-chromium-");
        try
        {
            var dom = ChildProcess.Run(new ProcessCommand(renderer.Executable,
                [.. ChromiumRenderer.HeadlessFlags, $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri]),
                TimeSpan.FromSeconds(90));
            Assert.False(dom.TimedOut, "chromium --dump-dom did not finish");
            Assert.Equal(0, dom.ExitCode);
            return dom.Output;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [SkippableFact]
    public void The_written_page_opens_offline_in_chromium_with_the_points_and_the_charts_drawn()
    {
        var renderer = Chromium();
        var notebook = Notebook();
        var sheet = ChartSheet.Render(FeedbackPage.ChartsToRender(notebook), renderer);
        Assert.NotNull(sheet.Png);
        Assert.Equal((1000, 700), Png.Size(sheet.Png));

        var html = FeedbackPage.Html(notebook, Grade, sheet);
        AssertNoStudentMarkupAndNothingFetched(html);
        Assert.DoesNotContain(FeedbackPage.ChartNotRendered, html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "data:image/png;base64,"));                         // the sheet, once
        Assert.Contains(Convert.ToBase64String(sheet.Png), html, StringComparison.Ordinal);
        // Each chart its region, right where its cell was.
        Assert.Contains("style=\"width:1000px;height:300px;background-position:0 -0px\"", Between(html, "LossFigures.Training(losses)", "ClassifierFigures.PerClassAccuracy"), StringComparison.Ordinal);
        Assert.Contains("style=\"width:1000px;height:400px;background-position:0 -300px\"", Between(html, "ClassifierFigures.PerClassAccuracy", "display(HTML("), StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("aelab-feedback-");
        try
        {
            var page = Path.Combine(folder.FullName, "02-training.html");
            File.WriteAllText(page, html);
            var dom = DumpDom(renderer, page);
            Assert.Contains("<title>alice: 02-training</title>", dom, StringComparison.Ordinal); // no script renamed it
            Assert.Matches(new Regex(@"Points: <strong id=""total"">3 / 5</strong>"), dom);
            Assert.Contains("loop matches the reference, step by step", dom, StringComparison.Ordinal);
            Assert.Contains("hello from the student", dom, StringComparison.Ordinal);
            Assert.DoesNotContain("pwned", dom, StringComparison.Ordinal);
            Assert.Equal(2, Regex.Matches(dom, "class=\"sheet\"").Count);

            // Not blank: Chromium itself decodes the sheet and counts the colours in each chart's region (a blank one has 1).
            var probe = Path.Combine(folder.FullName, "probe.html");
            File.WriteAllText(probe, "<!DOCTYPE html><html><body><pre id=\"colours\"></pre><script>(async () => {" +
                $"const image = new Image(); image.src = 'data:image/png;base64,{Convert.ToBase64String(sheet.Png)}';" +
                // onload, not decode(): decode() does not settle under --virtual-time-budget.
                "await new Promise((loaded, failed) => { image.onload = loaded; image.onerror = failed; });" +
                "const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;" +
                "const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);" +
                $"document.getElementById('colours').textContent = {new JsonArray(sheet.Regions.Select(r => (JsonNode)new JsonArray(r.Top, r.Width, r.Height)).ToArray()).ToJsonString()}.map(([top, width, height]) => {{" +
                " const pixels = context.getImageData(0, top, width, height).data, seen = new Set();" +
                " for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]); return seen.size; }).join(' ');" +
                "})();</script></body></html>");
            var colours = Regex.Match(DumpDom(renderer, probe), "<pre id=\"colours\">([0-9 ]+)</pre>");
            Assert.True(colours.Success, "the probe page did not report the colours");
            var counts = colours.Groups[1].Value.Split(' ').Select(int.Parse).ToList();
            Assert.Equal(2, counts.Count);
            Assert.All(counts, n => Assert.True(n > 20, $"a chart region has only {n} colours ({colours.Groups[1].Value})"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
