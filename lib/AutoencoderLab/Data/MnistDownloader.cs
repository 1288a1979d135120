namespace AutoencoderLab.Data;

/// <summary>
/// Fetches missing MNIST files from the public mirrors, in order, verifies each against its md5,
/// and moves it into place only when it is whole (temporary file, then rename). It never
/// replaces or deletes a file that is already there.
/// </summary>
public sealed class MnistDownloader(HttpClient http, IReadOnlyList<Uri>? mirrors = null)
{
    /// <summary>The mirrors torchvision uses, in the order tried.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>Environment variable with mirror base URLs to use instead (separated by spaces or semicolons).</summary>
    public const string MirrorsVariable = "AELAB_MNIST_MIRRORS";

    /// <summary>The mirrors named in <see cref="MirrorsVariable"/>, else <see cref="DefaultMirrors"/>.</summary>
    public static IReadOnlyList<Uri> ConfiguredMirrors()
    {
        var configured = Environment.GetEnvironmentVariable(MirrorsVariable);
        if (string.IsNullOrWhiteSpace(configured)) return DefaultMirrors;
        return configured.Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(u => Uri.TryCreate(u.EndsWith('/') ? u : u + "/", UriKind.Absolute, out var uri) ? uri
                : throw new InvalidSettingsException($"{MirrorsVariable} holds '{u}', which is not an absolute URL."))
            .ToList();
    }

    readonly IReadOnlyList<Uri> mirrors = mirrors ?? ConfiguredMirrors();

    /// <summary>Downloads every file in <paramref name="location"/> that is missing; returns the files fetched.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(MnistLocation location, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var fetched = new List<string>();
        foreach (var file in location.Missing())
            fetched.Add(await DownloadAsync(file, location.DownloadDirectory, progress, cancellationToken).ConfigureAwait(false));
        return fetched;
    }

    /// <summary>Downloads one file into <paramref name="directory"/>, trying each mirror until one gives the right bytes.</summary>
    public async Task<string> DownloadAsync(MnistFile file, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, file.Name);
        var failures = new List<string>();
        foreach (var mirror in mirrors)
        {
            var temporary = Path.Combine(directory, $".{file.Name}.{Guid.NewGuid():N}.part");
            try
            {
                await FetchAsync(new Uri(mirror, file.Name), temporary, file.Name, progress, cancellationToken).ConfigureAwait(false);
                var md5 = Checksum.Md5OfFile(temporary);
                if (md5 != file.Md5) { failures.Add($"{mirror}: md5 {md5}, expected {file.Md5}"); continue; }
                File.Move(temporary, target, overwrite: false);
                return target;
            }
            catch (HttpRequestException e) { failures.Add($"{mirror}: {e.Message}"); }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested) { failures.Add($"{mirror}: timed out ({e.Message})"); }
            catch (IOException e) when (File.Exists(target)) { throw new DataUnavailableException($"{target} appeared while downloading it; it was left as it is.", e); }
            catch (IOException e) { failures.Add($"{mirror}: {e.Message}"); }
            finally { if (File.Exists(temporary)) File.Delete(temporary); }
        }
        throw new DataUnavailableException(
            $"Could not download {file.Name}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", failures)}{Environment.NewLine}" +
            MissingAdvice(directory));
    }

    /// <summary>What to do when the files cannot be fetched: which files, where to put them, their md5.</summary>
    public static string MissingAdvice(string directory) =>
        $"Without a network, copy the four MNIST files into {directory} (or pass --data DIR / set {MnistLocation.EnvironmentVariable}):{Environment.NewLine}{MnistFile.Listing}";

    async Task FetchAsync(Uri uri, string path, string name, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        long? total = response.Content.Headers.ContentLength;
        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long done = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            done += read;
            progress?.Report(new DownloadProgress(name, done, total));
        }
        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        target.Flush(flushToDisk: true);
    }
}
