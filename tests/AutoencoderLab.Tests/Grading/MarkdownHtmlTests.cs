using AutoencoderLab.Grading;

namespace AutoencoderLab.Tests.Grading;

public class MarkdownHtmlTests
{
    [Fact]
    public void Headings_paragraphs_and_emphasis()
    {
        Assert.Equal("<h1>Title</h1><h3>Part <em>b</em></h3><p>Some <strong>bold</strong> and <em>italic</em> and <em>also</em>\nsecond line</p>",
            MarkdownHtml.Render("# Title\n### Part *b* ###\n\nSome **bold** and *italic* and _also_\nsecond line"));
    }

    [Fact]
    public void Inline_code_and_math_are_kept_verbatim()
    {
        Assert.Equal("<p><code>a**b**&lt;c</code> and <span class=\"math\">$x_1 * y_2$</span></p>",
            MarkdownHtml.Render("`a**b**<c` and $x_1 * y_2$"));
    }

    [Fact]
    public void Code_fences_keep_their_lines_encoded()
    {
        Assert.Equal("<p>before</p><pre class=\"source\"><code>var x = 1 &lt; 2;\n**not bold**</code></pre><p>after</p>",
            MarkdownHtml.Render("before\n```csharp\nvar x = 1 < 2;\n**not bold**\n```\nafter"));
    }

    [Fact]
    public void Lists_bulleted_numbered_and_continued()
    {
        Assert.Equal("<ul><li>one</li><li>two\nmore</li></ul><ol><li>first</li><li>second</li></ol>",
            MarkdownHtml.Render("- one\n* two\n  more\n1. first\n2) second"));
    }

    [Fact]
    public void Links_are_text_not_anchors()
    {
        var html = MarkdownHtml.Render("[click](javascript:alert(1)) and <https://example.org>");
        Assert.DoesNotContain("<a", html);
        Assert.Equal("<p>[click](javascript:alert(1)) and &lt;https://example.org&gt;</p>", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("# <iframe src=\"https://example.org\"></iframe>")]
    [InlineData("- <b onclick=\"x()\">item</b>")]
    [InlineData("**<style>body{}</style>**")]
    public void No_raw_html_passes_through(string source)
    {
        var html = MarkdownHtml.Render(source);
        string[] own = ["p", "h1", "ul", "li", "strong"];
        var tags = System.Text.RegularExpressions.Regex.Matches(html, @"</?([A-Za-z][A-Za-z0-9]*)").Select(m => m.Groups[1].Value).Distinct();
        Assert.All(tags, tag => Assert.Contains(tag, own));
        Assert.Contains("&lt;", html);
    }
}
