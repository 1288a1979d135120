using AutoencoderLab.Models;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>
/// The loops students write in notebooks 02 and 04 (here the library's reference versions, which the instructor solutions
/// equal) compute what the CLI's Trainer computes: same batches, same class pairs, same losses, bit for bit.
/// </summary>
public class ReferenceLoopsTests(CheckData fixture) : IClassFixture<CheckData>
{
    const int Samples = 2048, BatchSize = 256, Epochs = 2;
    const long Seed = 7;

    List<float> Trainer(ITrainingObjective objective, out List<float> contrastive)
    {
        var data = fixture.Data;
        using var model = AutoEncoder.Seeded(Seed, CPU);
        using var trainer = new Trainer(model, objective, data.TrainImages[..Samples], data.TrainLabels[..Samples],
            new TrainingOptions { Epochs = Epochs, BatchSize = BatchSize, Seed = Seed });
        var history = trainer.Run();
        contrastive = history.Parts.TryGetValue(ContrastiveObjective.ContrastivePart, out var part) ? part.ToList() : [];
        return history.Total.ToList();
    }

    ShuffledBatches Batches(AutoEncoder model) =>
        new(fixture.Data.TrainImages[..Samples], fixture.Data.TrainLabels[..Samples], BatchSize, new EpochOrder(Seed, model.ParameterCount));

    [Fact]
    public void The_reconstruction_loop_equals_the_trainer_step_for_step()
    {
        var expected = Trainer(new ReconstructionObjective(), out _);
        using var model = AutoEncoder.Seeded(Seed, CPU);
        using var optimizer = Lab.NewOptimizer(model);
        var losses = ReferenceLoops.Reconstruction(model, optimizer, Batches(model), Epochs, null);
        Assert.Equal(Epochs * (Samples / BatchSize), losses.Count);
        Assert.Equal(expected, losses);
    }

    [Fact]
    public void The_contrastive_loop_equals_the_trainer_step_for_step_with_the_same_class_pairs()
    {
        var expected = Trainer(new ContrastiveObjective(), out var expectedContrastive);
        using var model = AutoEncoder.Seeded(Seed, CPU);
        using var optimizer = Lab.NewOptimizer(model);
        var losses = ReferenceLoops.Contrastive(model, optimizer, Batches(model), new ClassPairs(Seed), Epochs, null);
        Assert.Equal(expectedContrastive, losses.Select(l => l.Contrastive));
        Assert.Contains(losses, l => l.Contrastive > 0);
        Assert.Equal(expected, losses.Select(l => l.Total));
    }

    [Fact]
    public void A_left_out_step_changes_the_losses()
    {
        using var model = AutoEncoder.Seeded(Seed, CPU);
        using var optimizer = Lab.NewOptimizer(model);
        var frozen = ReferenceLoops.Reconstruction(model, optimizer, Batches(model), 1, null, LoopFault.NoStep);
        Assert.NotEqual(Trainer(new ReconstructionObjective(), out _).Take(frozen.Count), frozen);
    }
}
