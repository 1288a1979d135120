using AutoencoderLab.Data;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Tests.Support;

/// <summary>Where tests find the real MNIST copy and the built CLI.</summary>
internal static class TestPaths
{
    /// <summary>
    /// The canonical MNIST files: $AELAB_TEST_DATA; else ../shared/data/mnist beside the repository
    /// (where CI has them); else the repository's data/ folder, downloaded there by the product's own
    /// downloader (md5-checked) if missing. Real-data tests fail, never skip, when none can be had.
    /// </summary>
    public static string SharedMnist => sharedMnist.Value;

    static readonly Lazy<string> sharedMnist = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable("AELAB_TEST_DATA");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "mnist"));
        if (File.Exists(Path.Combine(shared, MnistFile.TrainImages.Name))) return shared;
        var location = new MnistLocation(Path.Combine(RepositoryRoot, "data")).Ensure();
        return Path.GetDirectoryName(location.Find(MnistFile.TrainImages)!)!;
    });

    /// <summary>The repository root (the folder holding AutoencoderLab.sln), found from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "AutoencoderLab.sln"))) return dir.FullName;
            return ProjectPaths.Root;
        }
    }

    /// <summary>The CLI's entry assembly, copied beside the tests by the project reference.</summary>
    public static string AelabDll => Path.Combine(AppContext.BaseDirectory, "aelab.dll");
}

/// <summary>A temporary directory removed when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aelab-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
