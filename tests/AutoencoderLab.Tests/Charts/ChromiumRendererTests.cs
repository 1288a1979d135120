using AutoencoderLab.Charts;
using AutoencoderLab.Tests.Grading;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Charts;

/// <summary>
/// One Chromium kept open for many screenshots: every page drawn, nothing of one page reaching the next, a page that
/// never finishes costing only itself, and no browser left behind. Runs alone: it counts this process's browsers.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class ChromiumRendererTests
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public void One_browser_takes_many_screenshots_and_leaves_with_the_renderer()
    {
        var executable = FeedbackPageTests.Chromium().Executable;
        using var folder = new TempDirectory();
        var before = Browsers();
        using (var renderer = new ChromiumRenderer(executable))
        {
            for (int i = 0; i < 3; i++)
            {
                var page = folder.File($"page{i}.html");
                File.WriteAllText(page, $"<!DOCTYPE html><body style=\"margin:0\"><div style=\"width:{200 + 10 * i}px;height:50px;background:#0a0\"></div></body>");
                Assert.True(renderer.Screenshot(page, folder.File($"page{i}.png"), 300 + i, 120 + i, Limit), $"screenshot {i}");
                Assert.Equal((300 + i, 120 + i), Png.Size(File.ReadAllBytes(folder.File($"page{i}.png"))));
            }
            Assert.Single(Browsers().Except(before)); // one browser (its helper processes are its children, not ours)
        }
        Assert.Empty(Browsers().Except(before));
    }

    [SkippableFact]
    public void What_a_page_stores_does_not_reach_the_next_page()
    {
        var executable = FeedbackPageTests.Chromium().Executable;
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("writer.html"), "<!DOCTYPE html><body><script>localStorage.setItem('left', 'behind'); sessionStorage.setItem('left', 'behind');</script></body>");
        // Red when anything was left behind, white otherwise.
        File.WriteAllText(folder.File("reader.html"), "<!DOCTYPE html><body style=\"margin:0\"><div id=\"box\" style=\"width:100px;height:100px;background:#fff\"></div>" +
            "<script>if (localStorage.getItem('left') || sessionStorage.getItem('left')) document.getElementById('box').style.background = '#f00';</script></body>");
        byte[] alone, after;
        using (var fresh = new ChromiumRenderer(executable))
        {
            Assert.True(fresh.Screenshot(folder.File("reader.html"), folder.File("alone.png"), 100, 100, Limit));
            alone = File.ReadAllBytes(folder.File("alone.png"));
        }
        using (var renderer = new ChromiumRenderer(executable))
        {
            Assert.True(renderer.Screenshot(folder.File("writer.html"), folder.File("writer.png"), 100, 100, Limit));
            Assert.True(renderer.Screenshot(folder.File("reader.html"), folder.File("after.png"), 100, 100, Limit));
            after = File.ReadAllBytes(folder.File("after.png"));
        }
        Assert.Equal(alone, after);
    }

    [SkippableFact]
    public void A_page_that_never_finishes_fails_alone_and_the_next_page_is_drawn()
    {
        var executable = FeedbackPageTests.Chromium().Executable;
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("endless.html"), "<!DOCTYPE html><body><script>while (true) { }</script></body>");
        File.WriteAllText(folder.File("fine.html"), "<!DOCTYPE html><body style=\"background:#00f\"></body>");
        using var renderer = new ChromiumRenderer(executable);
        Assert.False(renderer.Screenshot(folder.File("endless.html"), folder.File("endless.png"), 100, 100, TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(folder.File("endless.png")));
        Assert.True(renderer.Screenshot(folder.File("fine.html"), folder.File("fine.png"), 100, 100, Limit));
        Assert.Equal((100, 100), Png.Size(File.ReadAllBytes(folder.File("fine.png"))));
    }

    // Chromium processes whose parent is this test process: the renderers' browsers (each is its own helpers' parent).
    static HashSet<int> Browsers()
    {
        var browsers = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == Environment.ProcessId && name.Contains("chrom", StringComparison.OrdinalIgnoreCase)) browsers.Add(pid);
            }
            catch (IOException) { } // the process ended while we looked
        }
        return browsers;
    }
}
