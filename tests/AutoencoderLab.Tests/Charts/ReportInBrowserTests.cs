using System.Globalization;
using AutoencoderLab.Charts;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using Microsoft.Playwright;

namespace AutoencoderLab.Tests.Charts;

/// <summary>
/// The report and the t-SNE pages opened from file:// in a real headless Chromium with the network off:
/// no console errors, every chart drawn with its traces, the accuracies those of results.json, a screenshot
/// that is not blank. Needs Debian's chromium (.ci/run installs it).
/// </summary>
[Collection(ReproducedRunCollection.Name)]
public class ReportInBrowserTests(ReproducedRun run)
{
    static string Chromium => ChromiumRenderer.Find()?.Executable
        ?? throw new InvalidOperationException("No Chromium: install Debian's 'chromium' (.ci/run does) or set AELAB_CHROMIUM.");

    sealed record PageCheck(IReadOnlyList<string> Errors, IReadOnlyList<string> Requests, IReadOnlyDictionary<string, int> Traces, IPage Page);

    static async Task<T> WithPage<T>(string file, Func<PageCheck, Task<T>> check)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumRenderer.HeadlessFlags.Where(f => f != "--headless").ToArray(),
        });
        var context = await browser.NewContextAsync(new() { Offline = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        page.Request += (_, request) => { if (!request.Url.StartsWith("file:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) requests.Add(request.Url); };
        await page.GotoAsync(new Uri(file).AbsoluteUri);
        // Wait until plotly has drawn every figure container.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.figure')].every(d => d.querySelector('.main-svg'))", null, new() { Timeout = 60_000 });
        var traces = await page.EvaluateAsync<Dictionary<string, int>>(
            "() => Object.fromEntries([...document.querySelectorAll('.figure')].map(d => [d.id, (d.data || []).length]))");
        return await check(new PageCheck(errors, requests, traces, page));
    }

    [Fact]
    public async Task The_report_renders_offline_with_every_chart_and_the_accuracies_of_results_json()
    {
        var results = RunResults.Load(new RunDirectory(run.Directory).Results);
        await WithPage(Path.Combine(run.Directory, RunDirectory.ReportFile), async check =>
        {
            Assert.Empty(check.Errors);
            Assert.Empty(check.Requests);
            Assert.Equal(["centroids", "confusion", "digits", "loss", "loss-contrastive", "per-class", "tsne", "tsne-contrastive"], check.Traces.Keys.Order());
            Assert.All(check.Traces, t => Assert.True(t.Value > 0, $"figure {t.Key} has no traces"));
            Assert.Equal(20, check.Traces["tsne"]);            // ten digits in each of two panels
            Assert.Equal(16, check.Traces["digits"]);
            Assert.Equal(3, check.Traces["confusion"]);        // pixels, latent, contrastive latent
            Assert.True(await check.Page.Locator("#tsne canvas").CountAsync() > 0, "no WebGL canvas in the t-SNE figure");

            string Shown(double? value) => value!.Value.ToString("F2", CultureInfo.InvariantCulture);
            Assert.Equal(Shown(results.Accuracy.Original), await check.Page.InnerTextAsync("#accuracy-original"));
            Assert.Equal("82.03", await check.Page.InnerTextAsync("#accuracy-original"));
            Assert.Equal(Shown(results.Accuracy.Latent), await check.Page.InnerTextAsync("#accuracy-latent"));
            Assert.Equal(Shown(results.Accuracy.Contrastive), await check.Page.InnerTextAsync("#accuracy-contrastive"));

            // Not blank: the screenshot, decoded by the browser itself, has many distinct colours.
            var png = await check.Page.ScreenshotAsync(new() { FullPage = false });
            var colours = await check.Page.EvaluateAsync<int>(@"async src => {
                const image = new Image(); image.src = src; await image.decode();
                const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
                const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
                const pixels = context.getImageData(0, 0, image.width, image.height).data;
                const seen = new Set(); for (let i = 0; i < pixels.length; i += 4 * 7) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
                return seen.size; }", "data:image/png;base64," + Convert.ToBase64String(png));
            Assert.True(colours > 50, $"the screenshot has only {colours} colours");
            return 0;
        });
    }

    [Theory]
    [InlineData("tsne.html", 20)]
    [InlineData("tsne-contrastive.html", 10)]
    public async Task The_tsne_pages_render_offline_without_errors(string file, int traces)
    {
        await WithPage(new RunDirectory(run.Directory).PathOf(Path.Combine(RunDirectory.FiguresFolder, file)), check =>
        {
            Assert.Empty(check.Errors);
            Assert.Empty(check.Requests);
            Assert.Equal(traces, check.Traces.Values.Single());
            return Task.FromResult(0);
        });
    }

    [Fact]
    public void Png_copies_of_every_figure_were_rendered()
    {
        foreach (var id in new[] { "centroids", "confusion", "digits", "loss", "loss-contrastive", "per-class", "tsne", "tsne-contrastive" })
        {
            var png = new FileInfo(new RunDirectory(run.Directory).PathOf(Path.Combine(RunDirectory.FiguresFolder, id + ".png")));
            Assert.True(png.Exists, $"{png.Name} missing");
            Assert.True(png.Length > 10_000, $"{png.Name} is only {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png.FullName)[..4]);
        }
    }
}
