using AutoencoderLab.Runtime;

namespace AutoencoderLab.Charts;

/// <summary>
/// Renders pages to PNG with a headless Chromium (Debian's <c>chromium</c>), offline: no network, WebGL through
/// SwiftShader so the scatter plots draw without a GPU. On Linux and macOS one browser serves every screenshot
/// (<see cref="DevToolsBrowser"/>: one tab, cleared between pages) until the renderer is disposed; elsewhere, or when
/// that browser cannot start, each screenshot is a Chromium run of its own with a fresh profile.
/// </summary>
public sealed class ChromiumRenderer(string executable) : IDisposable
{
    readonly Lock gate = new();
    DevToolsBrowser? browser;
    bool oneShot = OperatingSystem.IsWindows();

    /// <summary>Environment variable naming the Chromium executable.</summary>
    public const string EnvironmentVariable = "AELAB_CHROMIUM";

    /// <summary>The executable used.</summary>
    public string Executable { get; } = executable;

    /// <summary>Chromium from <c>AELAB_CHROMIUM</c>, else the usual names on the PATH; null when there is none.</summary>
    public static ChromiumRenderer? Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? new ChromiumRenderer(configured) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "chrome" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return new ChromiumRenderer(candidate);
            }
        return null;
    }

    /// <summary>The flags for a headless, offline, sandbox-free (root in CI) run.</summary>
    public static IReadOnlyList<string> HeadlessFlags { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--hide-scrollbars",
    ];

    /// <summary>Screenshots <paramref name="htmlPath"/> into <paramref name="pngPath"/>; false (and no file) on failure.</summary>
    public bool Screenshot(string htmlPath, string pngPath, int width, int height, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        lock (gate)
        {
            if (!oneShot)
            {
                try { browser ??= DevToolsBrowser.Start(Executable, limit); }
                catch (DevToolsException) { oneShot = true; } // this Chromium cannot be driven over a pipe: one run per page from now on
            }
            if (browser is null) return OneShot(htmlPath, pngPath, width, height, limit);
            try
            {
                var png = browser.Screenshot(new Uri(Path.GetFullPath(htmlPath)), width, height, limit);
                AtomicFile.Write(pngPath, s => s.Write(png));
                return true;
            }
            catch (DevToolsException)
            {
                // A page that never finished or a browser that died: the next page gets a fresh browser.
                browser.Dispose();
                browser = null;
                return false;
            }
        }
    }

    /// <summary>Closes the browser kept for the screenshots, if one was started (a later screenshot starts another).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            browser?.Dispose();
            browser = null;
        }
    }

    bool OneShot(string htmlPath, string pngPath, int width, int height, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("aelab-chromium-");
        var temporary = pngPath + ".part.png";
        try
        {
            using var process = ChildProcess.Start(new ProcessCommand(Executable,
                [.. HeadlessFlags, $"--user-data-dir={profile.FullName}", $"--screenshot={Path.GetFullPath(temporary)}", $"--window-size={width},{height}",
                 "--virtual-time-budget=5000", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri]));
            if (!process.WaitOrKill(timeout)) return false;
            if (process.ExitCode != 0 || !File.Exists(temporary)) return false;
            File.Move(temporary, pngPath, overwrite: true);
            return true;
        }
        catch (ProgramMissingException) { return false; }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
