using AutoencoderLab.Data;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>A failed setup cell (here: no MNIST and no network) makes every later cell say why, not throw a null reference.</summary>
[Collection(EnvironmentCollection.Name)]
public class LabSetupTests
{
    [Fact]
    public void Without_data_the_lab_names_the_setup_failure_in_every_later_use()
    {
        using var dir = new TempDirectory();
        using var data = new EnvironmentScope(MnistLocation.EnvironmentVariable, dir.Path);
        using var mirrors = new EnvironmentScope(MnistDownloader.MirrorsVariable, "http://127.0.0.1:9/"); // nothing listens there
        using var device = new EnvironmentScope("AELAB_DEVICE", "cpu");

        var lab = Lab.Start();

        Assert.NotNull(lab.SetupFailure);
        Assert.Contains("train-images-idx3-ubyte.gz", lab.SetupFailure);
        var used = Assert.Throws<LabSetupException>(() => lab.NewModel());
        Assert.Contains("setup cell did not finish", used.Message);
        Assert.Contains(lab.SetupFailure!, used.Message);
        Assert.Throws<LabSetupException>(() => lab.Data);
        Assert.Equal(lab.Parameters.Seed, NotebookParameters.FromEnvironment().Seed); // the parameters are still there
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)); // no partial download left behind
    }
}
