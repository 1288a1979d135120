using AutoencoderLab.Data;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Data;

[Collection(EnvironmentCollection.Name)]
public class MnistLocationTests
{
    [Fact]
    public void Explicit_directory_wins_over_the_environment()
    {
        using var scope = new EnvironmentScope(MnistLocation.EnvironmentVariable, "/tmp/from-env");
        Assert.Equal(Path.GetFullPath("/tmp/explicit"), MnistLocation.Resolve("/tmp/explicit").Directory);
        Assert.Equal("/tmp/from-env", MnistLocation.Resolve().Directory);
    }

    [Fact]
    public void Default_is_data_at_the_repository_root()
    {
        using var scope = new EnvironmentScope(MnistLocation.EnvironmentVariable, null);
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.Combine(TestPaths.RepositoryRoot, "lib");
            Assert.Equal(Path.Combine(TestPaths.RepositoryRoot, "data"), MnistLocation.Resolve().Directory);
        }
        finally { Environment.CurrentDirectory = previous; }
    }

    [Fact]
    public void Files_are_found_directly_in_mnist_or_in_MNIST_raw_and_missing_ones_listed()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "mnist"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "MNIST", "raw"));
        File.WriteAllText(dir.File(MnistFile.TrainImages.Name), "");
        File.WriteAllText(Path.Combine(dir.Path, "mnist", MnistFile.TrainLabels.Name), "");
        File.WriteAllText(Path.Combine(dir.Path, "MNIST", "raw", MnistFile.TestImages.UncompressedName), "");
        var location = new MnistLocation(dir.Path);

        Assert.Equal([MnistFile.TestLabels], location.Missing());
        Assert.EndsWith(Path.Combine("MNIST", "raw", "t10k-images-idx3-ubyte"), location.Find(MnistFile.TestImages));
    }

    [Fact]
    public void Ensure_leaves_a_complete_folder_alone_and_names_what_it_cannot_fetch()
    {
        using var mirrors = new EnvironmentScope(MnistDownloader.MirrorsVariable, "http://127.0.0.1:9/"); // nothing listens there
        var complete = new MnistLocation(TestPaths.SharedMnist);
        Assert.Same(complete, complete.Ensure()); // no download tried: the mirror would have failed

        using var dir = new TempDirectory();
        var reports = new List<DownloadProgress>();
        var error = Assert.Throws<DataUnavailableException>(() => new MnistLocation(dir.Path).Ensure(new AutoencoderLab.Runtime.SyncProgress<DownloadProgress>(reports.Add)));
        Assert.Contains("Could not download train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains("127.0.0.1:9", error.Message);
        Assert.Empty(reports);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)); // no partial download left behind
    }
}
