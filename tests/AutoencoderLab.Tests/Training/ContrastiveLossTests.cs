using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Training;

public class ContrastiveLossTests
{
    [Fact]
    public void Matches_a_hand_computed_value()
    {
        // Row-wise cosine similarities 1, 0, -1; tau = 0.5:
        // mean(log(1+e^2), log 2, log(1+e^-2)) = 0.98233440088196...
        using var z = tensor(new float[] { 1, 0, 0, 3, 1, 1 }, [3, 2]);
        using var zneg = tensor(new float[] { 2, 0, 1, 0, -1, -1 }, [3, 2]);
        using var loss = ContrastiveLoss.Compute(z, zneg);
        Assert.Equal(0.9823344008819635, loss.item<float>(), 5);
    }

    [Fact]
    public void Depends_only_on_angles_and_on_the_temperature()
    {
        manual_seed(7);
        using var z = randn(6, 50);
        using var zneg = randn(6, 50);
        using var a = ContrastiveLoss.Compute(z, zneg);
        using var b = ContrastiveLoss.Compute(z * 3.5, zneg * 0.1);
        using var c = ContrastiveLoss.Compute(z, zneg, temperature: 1.0);
        Assert.Equal(a.item<float>(), b.item<float>(), 5);
        Assert.NotEqual(a.item<float>(), c.item<float>(), 3);
    }

    [Fact]
    public void Unequal_lengths_are_refused_with_the_trim_advice()
    {
        using var z = rand(3, 4);
        using var zneg = rand(2, 4);
        var error = Assert.Throws<ArgumentException>(() => ContrastiveLoss.Compute(z, zneg));
        Assert.Contains("trim", error.Message);
    }

    [Fact]
    public void Gradient_pushes_the_pair_apart()
    {
        using var z = tensor(new float[] { 1, 0.2f }, [1, 2], requires_grad: true);
        using var zneg = tensor(new float[] { 1, 0 }, [1, 2]);
        using var loss = ContrastiveLoss.Compute(z, zneg);
        loss.backward();
        // Moving z along +y turns it away from (1, 0): the similarity, and with it the loss, goes down. So the loss's
        // gradient in y is negative, and a descent step raises y, pushing the pair apart.
        Assert.True(z.grad!.data<float>()[1] < 0);
    }
}
