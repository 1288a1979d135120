using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Cli;

/// <summary><c>aelab sweep</c> on real MNIST with tiny settings: 1 epoch, 2 seeds, both problems.</summary>
public class SweepCommandTests
{
    static readonly string[] Arguments = ["sweep", "--seeds", "1-2", "--epochs", "1", "--problem", "both", "--data", TestPaths.SharedMnist, "--device", "cpu"];

    [Fact]
    public void Runs_every_seed_writes_sweep_json_and_page_and_a_second_run_reuses_the_finished_seeds()
    {
        using var output = new TempDirectory();
        var result = Aelab.Run([.. Arguments, "--out", output.Path]);

        Assert.True(result.ExitCode == 0, result.All);
        var sweep = SweepResults.Load(Path.Combine(output.Path, SweepResults.FileName));
        Assert.Equal(["2", "4"], sweep.Problems.Keys.Order());
        Assert.Equal((1, 1024, "cpu"), (sweep.Epochs, sweep.BatchSize, sweep.Device));
        foreach (var (problem, part) in sweep.Problems)
        {
            Assert.Equal([1L, 2L], part.Seeds.Select(s => s.Seed));
            foreach (var s in part.Seeds)
            {
                Assert.Equal((int.Parse(problem), 1), (s.Problem, s.Epochs));
                Assert.Single(s.EpochMeanLosses);
                Assert.Equal(s.EpochMeanLosses[0], s.LastEpochMeanLoss);
                Assert.True(s.LastBatchLoss > 0 && double.IsFinite(s.LastBatchLoss));
                Assert.InRange(s.LatentAccuracy, 10, 100);
                Assert.Equal(s.Health.Bottleneck.Alive, s.AliveBottleneckUnits);
                Assert.Equal(25, s.Health.Bottleneck.Units);
                Assert.InRange(s.AliveBottleneckUnits, 0, 25);
                Assert.True(s.Seconds > 0);
            }
            Assert.NotEqual(part.Seeds[0].LastBatchLoss, part.Seeds[1].LastBatchLoss); // the seed changes the run
            var accuracies = part.Seeds.Select(s => s.LatentAccuracy).ToArray();
            Assert.Equal(accuracies.Average(), part.Summary.LatentAccuracy.Mean, 10);
            Assert.Equal(accuracies.Min(), part.Summary.LatentAccuracy.Min);
            Assert.Equal(Math.Abs(accuracies[0] - accuracies[1]) / Math.Sqrt(2), part.Summary.LatentAccuracy.StandardDeviation, 10);
        }
        // Problem 2's seed 1 is what training seed 1 directly gives: the sweep runs the real thing.
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        using (var model = AutoEncoder.Seeded(1, CPU))
        using (var trainer = new Trainer(model, new ReconstructionObjective(), data.TrainImages, data.TrainLabels, new TrainingOptions { Epochs = 1, Seed = 1 }))
            Assert.Equal(trainer.Run().Last, sweep.Problems["2"].Seeds[0].LastBatchLoss);

        var html = File.ReadAllText(Path.Combine(output.Path, SeedSweep.PageName));
        Assert.Contains("sweep-loss-2", html);
        Assert.Contains("sweep-loss-4", html);
        Assert.DoesNotContain("<script src", html); // offline: plotly.js inline
        Assert.Contains("Problem 2: one row per seed", result.Output);
        Assert.Contains("87.89", result.Output);

        // Again over the same folder: nothing is retrained, the figures are the same.
        var again = Aelab.Run([.. Arguments, "--out", output.Path]);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(again.Output, "already done").Count);
        var second = SweepResults.Load(Path.Combine(output.Path, SweepResults.FileName));
        Assert.Equal(sweep.Problems["2"].Seeds.Select(s => s.LastBatchLoss), second.Problems["2"].Seeds.Select(s => s.LastBatchLoss));
        Assert.Equal(sweep.Problems["4"].Summary, second.Problems["4"].Summary);
    }

    [Fact]
    public void Seed_instead_of_seeds_is_a_clear_error()
    {
        var result = Aelab.Run("sweep", "--seed", "4", "--epochs", "1", "--data", TestPaths.SharedMnist);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--seeds", result.All);
        Assert.DoesNotContain("   at ", result.All);
    }
}
