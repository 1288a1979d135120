using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Reproduction;

/// <summary>The output folder's policy: an earlier run is never overwritten by accident, and --resume reads what was recorded.</summary>
public class RunDirectoryTests
{
    [Fact]
    public void A_started_run_records_its_settings_and_resume_reads_them_back()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        var options = new ReproduceOptions { Epochs = 7, Seed = 11, DataDirectory = "/some/data", OutputDirectory = dir.Path };
        run.Start(options);
        Assert.True(File.Exists(Path.Combine(dir.Path, RunDirectory.SettingsFile)));

        var read = run.ReadSettings();
        Assert.Equal(options with { Resume = true, OutputDirectory = Path.GetFullPath(dir.Path) }, read);
    }

    [Fact]
    public void An_earlier_run_is_refused_unless_overwrite_which_drops_its_checkpoints()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        run.Start(new ReproduceOptions { OutputDirectory = dir.Path });
        var checkpoint = run.Checkpoint("reconstruction");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        File.WriteAllText(checkpoint, "x");

        var refused = Assert.Throws<AutoencoderLabException>(() => run.Start(new ReproduceOptions { OutputDirectory = dir.Path }));
        Assert.Contains("--resume", refused.Message);
        Assert.True(File.Exists(checkpoint));

        run.Start(new ReproduceOptions { OutputDirectory = dir.Path, Overwrite = true, Epochs = 2 });
        Assert.False(File.Exists(checkpoint));
        Assert.Equal(2, run.ReadSettings().Epochs);
    }

    [Fact]
    public void A_folder_without_a_run_says_so_when_resumed_or_read()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        Assert.Contains(RunDirectory.SettingsFile, Assert.Throws<AutoencoderLabException>(run.ReadSettings).Message);
        Assert.Contains(RunDirectory.ResultsFile, Assert.Throws<AutoencoderLabException>(run.ReadResults).Message);
        Assert.False(run.HoldsResults);
    }

    [Fact]
    public void Bad_settings_are_a_user_error_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => new ReproduceOptions { ContrastiveEpochs = -1 }.Validate());
        Assert.Equal("ContrastiveEpochs", error.Setting);
        Assert.Equal("ContrastiveEpochs must be 0 or more, not -1.", error.Message);
        Assert.Equal("--contrastive-epochs must be 0 or more, not -1.", error.MessageNaming("--contrastive-epochs"));
        Assert.Throws<InvalidSettingsException>(() => new ReproduceOptions { BatchSize = 0 }.Validate());
        Assert.Throws<InvalidSettingsException>(() => new ReproduceOptions { Device = "tpu" }.Validate());
        new ReproduceOptions().Validate();
    }

    [Fact]
    public void The_median_of_odd_and_even_counts_and_of_none()
    {
        Assert.Equal(2.0, Statistics.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, Statistics.Median([4.0, 1.0, 3.0, 2.0]));
        Assert.Null(Statistics.Median([]));
    }
}
