using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Training;

public class CheckpointTests
{
    static (Tensor Images, Tensor Labels) Subset()
    {
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        return (data.TrainImages[..1500], data.TrainLabels[..1500]);
    }

    static Trainer NewTrainer(ITrainingObjective objective, string? checkpoint, int epochs = 4, long seed = 9, AutoEncoder? model = null)
    {
        var (images, labels) = Subset();
        return new Trainer(model ?? AutoEncoder.Seeded(seed, CPU), objective, images, labels,
            new TrainingOptions { Epochs = epochs, BatchSize = 256, Seed = seed, CheckpointEvery = 1 }, checkpoint);
    }

    static float[] Weights(Trainer trainer) =>
        trainer.Model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    /// <summary>Runs, interrupting after <paramref name="stopAfterSteps"/> steps, then resumes in a fresh trainer.</summary>
    static Trainer InterruptAndResume(string checkpoint, int stopAfterSteps)
    {
        using (var first = NewTrainer(new ContrastiveObjective(), checkpoint))
        using (var cancel = new CancellationTokenSource())
        {
            int steps = 0;
            var error = Assert.Throws<TrainingInterruptedException>(() => first.Run(new SyncProgress<TrainingProgress>(p =>
            {
                if (!p.EpochCompleted && ++steps == stopAfterSteps) cancel.Cancel();
            }), cancel.Token));
            Assert.Equal(checkpoint, error.CheckpointPath);
            Assert.Equal((stopAfterSteps / 6, stopAfterSteps % 6), (error.Epoch, error.Batch)); // 6 batches an epoch
        }
        var resumed = NewTrainer(new ContrastiveObjective(), checkpoint);
        resumed.LoadCheckpoint(checkpoint);
        resumed.Run();
        return resumed;
    }

    [Fact]
    public void After_loading_a_checkpoint_the_optimiser_steps_the_models_own_parameters_as_a_straight_run_would()
    {
        using var dir = new TempDirectory();
        using (var first = NewTrainer(new ReconstructionObjective(), dir.File("run.ckpt"), epochs: 1)) first.Run();
        using var straight = NewTrainer(new ReconstructionObjective(), null, epochs: 2);
        straight.Run();
        using var resumed = NewTrainer(new ReconstructionObjective(), dir.File("run.ckpt"), epochs: 2);
        var before = resumed.Model.parameters().ToList();

        resumed.LoadCheckpoint(dir.File("run.ckpt"));

        // Loading must not swap the model's Parameter objects (Module.load does on CUDA): Adam's state is keyed by them.
        var after = resumed.Model.parameters().ToList();
        var optimised = resumed.Optimizer.parameters().ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(after.Count, optimised.Count);
        for (int i = 0; i < after.Count; i++)
        {
            Assert.Same(before[i], after[i]);
            Assert.Same(after[i], optimised[i]);
        }
        resumed.Run();
        Assert.Equal(Weights(straight), Weights(resumed)); // the resumed Adam steps, moments and all, are the straight run's
    }

    [Theory]
    [InlineData(12)] // at an epoch boundary: 2 epochs + resume 2
    [InlineData(15)] // mid-epoch
    public void Resuming_ends_bit_identical_to_an_uninterrupted_run(int stopAfterSteps)
    {
        using var dir = new TempDirectory();
        using var straight = NewTrainer(new ContrastiveObjective(), null);
        straight.Run();

        using var resumed = InterruptAndResume(dir.File("run.ckpt"), stopAfterSteps);

        Assert.Equal(straight.History.Total, resumed.History.Total);
        Assert.Equal(straight.History.Parts[ContrastiveObjective.ContrastivePart], resumed.History.Parts[ContrastiveObjective.ContrastivePart]);
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.True(resumed.IsComplete);
    }

    [Fact]
    public void A_checkpoint_is_written_every_N_epochs_and_at_the_end()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.ckpt");
        var epochsSeen = new List<int>();
        using var trainer = NewTrainer(new ReconstructionObjective(), path, epochs: 3);
        trainer.Run(new SyncProgress<TrainingProgress>(p =>
        {
            if (p.EpochCompleted && File.Exists(path)) epochsSeen.Add(Checkpoint.Read(path).Metadata.CompletedEpochs);
        }));
        // Written after every epoch (CheckpointEvery = 1), before the epoch's report.
        Assert.Equal([1, 2, 3], epochsSeen);
        Assert.Equal(3, Checkpoint.Read(path).Metadata.CompletedEpochs);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_and_left_as_it_is()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.ckpt");
        using (var trainer = NewTrainer(new ReconstructionObjective(), path, epochs: 1)) trainer.Run();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 1000)]);

        using var fresh = NewTrainer(new ReconstructionObjective(), path);
        var before = Weights(fresh);
        var error = Assert.Throws<CheckpointException>(() => fresh.LoadCheckpoint(path));

        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Equal(bytes.Length - 1000, new FileInfo(path).Length);
        Assert.Equal(before, Weights(fresh));
        Assert.Equal(0, fresh.CompletedEpochs);
    }

    [Fact]
    public void A_checkpoint_of_another_objective_seed_or_architecture_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.ckpt");
        using (var trainer = NewTrainer(new ReconstructionObjective(), path, epochs: 1)) trainer.Run();

        using (var other = NewTrainer(new ContrastiveObjective(), null))
            Assert.Contains("'reconstruction' checkpoint", Assert.Throws<CheckpointException>(() => other.LoadCheckpoint(path)).Message);
        using (var other = NewTrainer(new ReconstructionObjective(), null, seed: 10))
            Assert.Contains("seed 9", Assert.Throws<CheckpointException>(() => other.LoadCheckpoint(path)).Message);

        var content = Checkpoint.Read(path);
        var altered = dir.File("altered.ckpt");
        Checkpoint.Write(altered, content with { Metadata = content.Metadata with { Architecture = [.. content.Metadata.Architecture.Take(9), "decoder.linear2.bias:10"] } });
        using (var other = NewTrainer(new ReconstructionObjective(), null))
            Assert.Contains("different model architecture", Assert.Throws<CheckpointException>(() => other.LoadCheckpoint(altered)).Message);
    }

    [Fact]
    public void Random_and_truncated_bytes_only_ever_raise_CheckpointException()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.ckpt");
        using (var trainer = NewTrainer(new ReconstructionObjective(), path, epochs: 1)) trainer.Run();
        var valid = File.ReadAllBytes(path);
        var random = new Random(77);
        for (int i = 0; i < 300; i++)
        {
            byte[] bytes = (i % 3) switch
            {
                0 => Enumerable.Range(0, random.Next(0, 100)).Select(_ => (byte)random.Next(256)).ToArray(),
                1 => valid[..random.Next(0, valid.Length)],
                _ => Flip(random, valid),
            };
            try { Checkpoint.Parse(bytes, "fuzz"); Assert.Equal(valid, bytes); }
            catch (CheckpointException) { }
        }
    }

    static byte[] Flip(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
        return bytes;
    }

    [Fact]
    public void A_diverged_run_keeps_its_last_good_checkpoint()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.ckpt");
        using (var trainer = NewTrainer(new ReconstructionObjective(), path, epochs: 1)) trainer.Run();
        var good = File.ReadAllBytes(path);

        using var images = rand(300, 784);
        images[200, 0] = tensor(float.NaN);
        using var labels = zeros(300, ScalarType.Int64);
        using var diverging = new Trainer(AutoEncoder.Seeded(9, CPU), new ReconstructionObjective(), images, labels,
            new TrainingOptions { Epochs = 3, BatchSize = 256, Seed = 9, CheckpointEvery = 1 }, path);
        Assert.Throws<TrainingDivergedException>(() => diverging.Run());

        Assert.Equal(good, File.ReadAllBytes(path));
    }
}
