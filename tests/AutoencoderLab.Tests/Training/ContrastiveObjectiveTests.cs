using AutoencoderLab.Models;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Training;

public class ContrastiveObjectiveTests
{
    [Fact]
    public void Trim_and_pair_keeps_the_first_n_of_each_class_row_by_row()
    {
        long[] labels = [1, 2, 1, 1, 2, 3, 1];
        var (anchors, negatives) = ContrastiveObjective.TrimAndPair(labels, 1, 2);
        Assert.Equal([0L, 2], anchors);
        Assert.Equal([1L, 4], negatives);
    }

    [Fact]
    public void A_missing_class_gives_no_pairs()
    {
        var (anchors, negatives) = ContrastiveObjective.TrimAndPair([1, 1, 3], 1, 2);
        Assert.Empty(anchors);
        Assert.Empty(negatives);
    }

    [Fact]
    public void Draws_two_different_classes_covering_every_ordered_pair_reproducibly()
    {
        var drawn = new ClassPairs(42);
        var pairs = Enumerable.Range(0, 5000).Select(_ => drawn.Draw()).ToList();
        Assert.All(pairs, p => Assert.NotEqual(p.A1, p.A2));
        Assert.Equal(90, pairs.Distinct().Count());
        var again = new ClassPairs(42);
        Assert.Equal(pairs.Take(100), Enumerable.Range(0, 100).Select(_ => again.Draw()));
        // The objective draws step k's pair from the same (seed, k).
        Assert.Equal(pairs[7], ClassPairs.OfStep(AutoencoderLab.Runtime.TorchSetup.Derive(42, new ContrastiveObjective().Name, 7)));
    }

    [Fact]
    public void Contrastive_part_is_zero_without_both_classes_and_parts_add_up()
    {
        manual_seed(3);
        using var model = new AutoEncoder();
        using var images = rand(40, 784);
        var objective = new ContrastiveObjective();

        using (NewDisposeScope())
        {
            var single = objective.Loss(model, new TrainingBatch(images, Enumerable.Repeat(4L, 40).ToArray(), 0, 0));
            Assert.Equal(0f, single.Parts[1].Value.item<float>());
            Assert.Equal(single.Parts[0].Value.item<float>(), single.Total.item<float>());
        }

        var everyClass = Enumerable.Range(0, 40).Select(i => (long)(i % 10)).ToArray();
        using (NewDisposeScope())
        {
            var both = objective.Loss(model, new TrainingBatch(images, everyClass, 0, 1));
            Assert.True(both.Parts[1].Value.item<float>() > 0);
            Assert.Equal(both.Parts[0].Value.item<float>() + both.Parts[1].Value.item<float>(), both.Total.item<float>(), 5);
        }
    }
}
