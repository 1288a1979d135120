using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Training;

public class TrainerTests
{
    static (Tensor Images, Tensor Labels) Subset(int count)
    {
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        return (data.TrainImages[..count], data.TrainLabels[..count]);
    }

    static (TrainingHistory History, float[] Weights) Train(long seed, ITrainingObjective objective, int epochs = 2, int count = 2000)
    {
        var (images, labels) = Subset(count);
        using var model = AutoEncoder.Seeded(seed, CPU);
        using var trainer = new Trainer(model, objective, images, labels, new TrainingOptions { Epochs = epochs, BatchSize = 256, Seed = seed });
        var history = trainer.Run();
        using var weights = model.Decoder.parameters().Last().detach().clone();
        return (history, weights.data<float>().ToArray());
    }

    [Fact]
    public void Records_one_loss_per_batch_with_a_short_last_batch()
    {
        var (history, _) = Train(1, new ReconstructionObjective(), epochs: 3, count: 1000);
        Assert.Equal(3 * 4, history.Total.Count); // 1000 / 256 -> 4 batches, the last of 232
        Assert.Equal(history.Total, history.Parts[ReconstructionObjective.Part]);
        Assert.Equal(3, history.EpochSeconds.Count);
    }

    [Fact]
    public void Batches_per_epoch_match_the_assignment()
    {
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        using var model = new AutoEncoder();
        using var trainer = new Trainer(model, new ReconstructionObjective(), data.TrainImages, data.TrainLabels);
        Assert.Equal(59, trainer.BatchesPerEpoch);
        Assert.Equal(500, trainer.Options.Epochs);
        Assert.Equal(1e-3, trainer.Options.LearningRate);
        Assert.Equal(1e-8, trainer.Options.WeightDecay);
    }

    [Fact]
    public void Loss_falls()
    {
        var (history, _) = Train(2, new ReconstructionObjective(), epochs: 4);
        var epochMeans = history.Total.Chunk(8).Select(e => e.Average()).ToArray();
        for (int e = 1; e < epochMeans.Length; e++)
            Assert.True(epochMeans[e] < epochMeans[e - 1], $"epoch means {string.Join(", ", epochMeans)} do not fall");
        Assert.True(epochMeans[^1] < 0.8 * epochMeans[0], $"epoch means {string.Join(", ", epochMeans)}");
    }

    [Fact]
    public void Same_seed_gives_bit_identical_losses_and_weights_and_another_seed_does_not()
    {
        var first = Train(5, new ContrastiveObjective());
        var second = Train(5, new ContrastiveObjective());
        var other = Train(6, new ContrastiveObjective());

        Assert.Equal(first.History.Total, second.History.Total);
        Assert.Equal(first.History.Parts[ContrastiveObjective.ContrastivePart], second.History.Parts[ContrastiveObjective.ContrastivePart]);
        Assert.Equal(first.Weights, second.Weights);
        Assert.NotEqual(first.History.Total, other.History.Total);
    }

    [Fact]
    public void A_NaN_loss_stops_before_the_step_and_names_epoch_and_batch()
    {
        using var images = rand(64, 784);
        images[40, 3] = tensor(float.NaN);
        using var labels = zeros(64, ScalarType.Int64);
        using var model = AutoEncoder.Seeded(1, CPU);
        using var before = model.Encoder.parameters().First().detach().clone();
        using var trainer = new ShuffleFreeTrainer(model, images, labels);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());

        Assert.Equal((1, 2), (error.Epoch, error.Batch)); // sample 40 is in the second batch of 32
        Assert.Contains("epoch 1, batch 2", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Single(trainer.History.Total);
        using var after = model.Encoder.parameters().First().detach();
        Assert.False(after.isnan().any().item<bool>());
    }

    sealed class ShuffleFreeTrainer(AutoEncoder model, Tensor images, Tensor labels)
        : Trainer(model, new ReconstructionObjective(), images, labels, new TrainingOptions { Epochs = 1, BatchSize = 32 })
    {
        protected override long[] ShuffledOrder(int epoch) => Enumerable.Range(0, 64).Select(i => (long)i).ToArray();
    }

    [Fact]
    public void Cancellation_finishes_the_current_step_and_stops()
    {
        var (images, labels) = Subset(1000);
        using var model = AutoEncoder.Seeded(1, CPU);
        using var trainer = new Trainer(model, new ReconstructionObjective(), images, labels, new TrainingOptions { Epochs = 3, BatchSize = 100 });
        using var cancel = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Run(new SyncProgress<TrainingProgress>(p =>
        {
            reports.Add(p);
            if (reports.Count == 3) cancel.Cancel();
        }), cancel.Token));

        Assert.Equal(3, trainer.History.Total.Count);
        Assert.Equal(0, trainer.CompletedEpochs);
    }

    [Fact]
    public void Reports_progress_after_every_step_and_every_epoch()
    {
        var (images, labels) = Subset(500);
        using var model = AutoEncoder.Seeded(1, CPU);
        using var trainer = new Trainer(model, new ReconstructionObjective(), images, labels, new TrainingOptions { Epochs = 2, BatchSize = 100 });
        var reports = new List<TrainingProgress>();
        trainer.Run(new SyncProgress<TrainingProgress>(reports.Add));

        Assert.Equal(2 * 5 + 2, reports.Count);
        Assert.Equal(2, reports.Count(r => r.EpochCompleted));
        Assert.Equal((2, 2, 5), (reports[^1].Epoch, reports[^1].Epochs, reports[^1].Batches));
        Assert.Equal(trainer.History.Last, reports[^1].Loss);
        Assert.Equal(TimeSpan.Zero, reports[^1].Remaining);
    }

    [Fact]
    public void Options_that_no_run_can_use_are_refused()
    {
        var (images, labels) = Subset(10);
        using var model = new AutoEncoder();
        Assert.Throws<InvalidSettingsException>(() => new Trainer(model, new ReconstructionObjective(), images, labels, new TrainingOptions { Epochs = -1 }));
        Assert.Throws<InvalidSettingsException>(() => new Trainer(model, new ReconstructionObjective(), images, labels, new TrainingOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentException>(() => new Trainer(model, new ReconstructionObjective(), images[.., ..100], labels));
    }
}
