using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoencoderLab.Charts;

/// <summary>
/// One headless Chromium kept open for many screenshots, driven by the DevTools protocol over a pipe
/// (<c>--remote-debugging-pipe</c>: commands in on its descriptor 3, answers out on 4, each message ending in a NUL).
/// A Chromium start costs more CPU than a sheet of charts; the pipe also ends the browser when this process ends,
/// however it ends. Not thread-safe: <see cref="ChromiumRenderer"/> takes one page at a time.
/// </summary>
internal sealed class DevToolsBrowser : IDisposable
{
    readonly Process process;
    readonly DirectoryInfo profile;
    readonly Stream commands;
    readonly BlockingCollection<JsonObject> answers = new();
    int lastId;
    string tab = "";
    string clean = "";

    DevToolsBrowser(Process process, DirectoryInfo profile)
    {
        this.process = process;
        this.profile = profile;
        commands = process.StandardInput.BaseStream;
        var reader = new Thread(() => Read(process.StandardOutput.BaseStream)) { IsBackground = true, Name = "DevTools pipe" };
        reader.Start();
    }

    /// <summary>Starts <paramref name="executable"/> headless with a fresh profile and checks that it answers.</summary>
    /// <exception cref="DevToolsException">The browser did not start or did not answer within <paramref name="timeout"/>.</exception>
    public static DevToolsBrowser Start(string executable, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("aelab-chromium-");
        // The shell moves the two pipes to the descriptors Chromium reads and writes, then becomes Chromium.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false,
        };
        foreach (var argument in (string[])["-c", "exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null 2>/dev/null", executable,
                     .. ChromiumRenderer.HeadlessFlags, "--remote-debugging-pipe", $"--user-data-dir={profile.FullName}", "about:blank"])
            start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start) ?? throw new DevToolsException($"{executable} did not start"); }
        catch (System.ComponentModel.Win32Exception e) { profile.Delete(recursive: true); throw new DevToolsException($"{executable} did not start: {e.Message}"); }
        var browser = new DevToolsBrowser(process, profile);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            browser.clean = Path.Combine(profile.FullName, "clean.html");
            File.WriteAllText(browser.clean, "<!DOCTYPE html><title>clean</title>");
            var target = browser.Call("Target.createTarget", new() { ["url"] = "about:blank", ["newWindow"] = true }, null, deadline)["targetId"]!.GetValue<string>();
            browser.tab = browser.Call("Target.attachToTarget", new() { ["targetId"] = target, ["flatten"] = true }, null, deadline)["sessionId"]!.GetValue<string>();
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="page"/> in a <paramref name="width"/> x <paramref name="height"/> viewport, waits for its
    /// load event and two frames (the charts' scripts draw on load), and returns the PNG of that area. The page is left
    /// for a blank one afterwards and what it stored is cleared, so nothing of it reaches the next page.
    /// </summary>
    /// <exception cref="DevToolsException">The browser failed, refused a command or did not finish within <paramref name="timeout"/>.</exception>
    public byte[] Screenshot(Uri page, int width, int height, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Call("Emulation.setDeviceMetricsOverride", new() { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, tab, deadline);
        Call("Page.navigate", new() { ["url"] = page.AbsoluteUri }, tab, deadline);
        var ready = Call("Runtime.evaluate", new()
        {
            ["expression"] = "new Promise(done => { const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done(document.readyState)));"
                             + " if (document.readyState === 'complete') frames(); else addEventListener('load', frames); })",
            ["awaitPromise"] = true, ["returnByValue"] = true,
        }, tab, deadline);
        if (ready["exceptionDetails"] is { } failed) throw new DevToolsException($"the page did not load: {failed.ToJsonString()}");
        var shot = Call("Page.captureScreenshot", new()
        {
            ["format"] = "png", ["captureBeyondViewport"] = false, ["optimizeForSpeed"] = true, // the viewport is the whole page already
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        }, tab, deadline);
        var png = Convert.FromBase64String(shot["data"]!.GetValue<string>());
        // One tab serves every page (a new one costs a renderer process and plotly.js compiled again), so before the
        // next, a page of ours with no other script clears what this one stored. A page that failed leaves the browser
        // to the caller, who closes it.
        var soon = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Call("Page.navigate", new() { ["url"] = new Uri(clean).AbsoluteUri }, tab, soon);
        Call("Runtime.evaluate", new()
        {
            ["expression"] = "localStorage.clear(); sessionStorage.clear();"
                             + " indexedDB.databases().then(all => Promise.all(all.map(db => new Promise(done => { const r = indexedDB.deleteDatabase(db.name); r.onsuccess = r.onerror = r.onblocked = done; }))))",
            ["awaitPromise"] = true,
        }, tab, soon);
        Call("Page.navigate", new() { ["url"] = "about:blank" }, tab, soon);
        return png;
    }

    JsonObject Call(string method, JsonObject parameters, string? session, DateTime deadline)
    {
        int id = ++lastId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null) message["sessionId"] = session;
        try
        {
            commands.Write(Encoding.UTF8.GetBytes(message.ToJsonString()));
            commands.WriteByte(0);
            commands.Flush();
        }
        catch (IOException e) { throw new DevToolsException($"the browser closed its pipe ({e.Message})"); }
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new DevToolsException($"{method} did not answer in time");
            JsonObject answer;
            try
            {
                if (!answers.TryTake(out answer!, left)) throw new DevToolsException($"{method} did not answer in time");
            }
            catch (InvalidOperationException) { throw new DevToolsException($"the browser ended (exit code {ExitCode()}) during {method}"); }
            if (answer["id"] is not JsonValue answered || answered.GetValue<int>() != id) continue; // an event, or a late answer
            if (answer["error"] is { } error) throw new DevToolsException($"{method}: {error["message"]?.GetValue<string>() ?? error.ToJsonString()}");
            return answer["result"] as JsonObject ?? [];
        }
    }

    string ExitCode() => process.WaitForExit(1000) ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none yet";

    void Read(Stream pipe)
    {
        var message = new MemoryStream();
        var buffer = new byte[1 << 16];
        try
        {
            int read;
            while ((read = pipe.Read(buffer, 0, buffer.Length)) > 0)
            {
                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != 0) continue;
                    message.Write(buffer, start, i - start);
                    start = i + 1;
                    if (System.Text.Json.Nodes.JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) is JsonObject parsed) answers.Add(parsed);
                    message.SetLength(0);
                }
                message.Write(buffer, start, read - start);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Text.Json.JsonException or InvalidOperationException) { }
        finally { answers.CompleteAdding(); }
    }

    /// <summary>Closes the browser (the whole process tree) and deletes its profile.</summary>
    public void Dispose()
    {
        try { commands.Dispose(); } catch (IOException) { } // Chromium leaves on the closed pipe
        try
        {
            if (!process.WaitForExit(2000)) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException) { }
        process.Dispose();
        try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
