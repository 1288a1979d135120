using AutoencoderLab.Runtime;

namespace AutoencoderLab.Data;

/// <summary>
/// Where MNIST lives on disk. The directory is, in order: the one given (<c>--data DIR</c>), the
/// <c>AELAB_DATA</c> environment variable, or <c>data/</c> at the repository root (found by walking
/// up from the current directory to <c>AutoencoderLab.sln</c>), else <c>./data</c>.
/// Inside it, files are looked for directly, in <c>mnist/</c>, and in torchvision's <c>MNIST/raw/</c>.
/// </summary>
public sealed class MnistLocation
{
    /// <summary>Environment variable naming the data directory.</summary>
    public const string EnvironmentVariable = "AELAB_DATA";

    static readonly string[] SubFolders = ["", "mnist", Path.Combine("MNIST", "raw")];

    /// <summary>Uses <paramref name="directory"/> as the data directory.</summary>
    public MnistLocation(string directory) => Directory = Path.GetFullPath(directory);

    /// <summary>The data directory.</summary>
    public string Directory { get; }

    /// <summary>Where downloads are written: <c>DIR/mnist/</c>.</summary>
    public string DownloadDirectory => Path.Combine(Directory, "mnist");

    /// <summary>Resolves the data directory from an explicit choice, the environment, or the default.</summary>
    public static MnistLocation Resolve(string? directory = null)
    {
        if (!string.IsNullOrWhiteSpace(directory)) return new MnistLocation(directory);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new MnistLocation(fromEnvironment);
        return new MnistLocation(ProjectPaths.Data);
    }

    /// <summary>The path of <paramref name="file"/> (gzip preferred, then uncompressed), or null if absent.</summary>
    public string? Find(MnistFile file)
    {
        foreach (var name in new[] { file.Name, file.UncompressedName })
            foreach (var sub in SubFolders)
            {
                var path = Path.Combine(Directory, sub, name);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>The files of <paramref name="files"/> that are not on disk.</summary>
    public IReadOnlyList<MnistFile> Missing(IEnumerable<MnistFile>? files = null) =>
        (files ?? MnistFile.All).Where(f => Find(f) is null).ToList();

    /// <summary>
    /// Makes sure all four files are here: downloads the missing ones into <see cref="DownloadDirectory"/> from the
    /// configured mirrors (<see cref="MnistDownloader"/>: md5-checked, moved into place only when whole), reporting each
    /// file's bytes through <paramref name="progress"/>. Returns this location. Throws <see cref="DataUnavailableException"/>
    /// when a file cannot be had. (The files already here are checked when <see cref="MnistDataset.Load"/> reads them.)
    /// </summary>
    public MnistLocation Ensure(IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Missing().Count == 0) return this;
        using var http = new HttpClient { Timeout = DownloadTimeout };
        new MnistDownloader(http).EnsureAsync(this, progress, cancellationToken).GetAwaiter().GetResult();
        return this;
    }

    // Per request, and generous: it is there to stop a stalled mirror, not a slow line.
    static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(5);
}
