using AutoencoderLab.Models;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Runtime;

/// <summary>The C# copy of PyTorch's CPU generator draws what libtorch's own generator draws.</summary>
public class TorchCpuGeneratorTests
{
    [Theory]
    [InlineData(0L, 60_000)]
    [InlineData(3L, 60_000)]
    [InlineData(123_456_789_012L, 1_000)] // only the low 32 bits of a seed count, as in PyTorch
    public void Permutation_equals_libtorch_randperm(long seed, int n)
    {
        using var generator = new Generator((ulong)seed);
        using var expected = randperm(n, generator: generator);
        Assert.Equal(expected.data<long>().ToArray(), new TorchCpuGenerator(seed).Permutation(n));
    }

    [Fact]
    public void A_64_bit_draw_has_the_first_32_bit_draw_as_its_high_half()
    {
        // uniform_ on float64 uses the low 53 bits of one 64-bit draw.
        using var generator = new Generator(11);
        using var doubles = empty(5, ScalarType.Float64).uniform_(0, 1, generator);
        var ours = new TorchCpuGenerator(11);
        var expected = Enumerable.Range(0, 5).Select(_ => (ours.Next64() & ((1UL << 53) - 1)) * Math.Pow(2, -53)).ToArray();
        Assert.Equal(expected, doubles.data<double>().ToArray());
    }

    [Fact]
    public void The_model_initialisation_draws_one_32_bit_number_per_parameter()
    {
        using var generator = new Generator(3);
        using var model = new AutoEncoder();
        model.ResetParameters(generator);
        using var next = randperm(1000, generator: generator);

        var ours = new TorchCpuGenerator(3);
        ours.Skip(model.ParameterCount);
        Assert.Equal(next.data<long>().ToArray(), ours.Permutation(1000));
    }

    [Fact]
    public void Skipping_equals_drawing()
    {
        var drawn = new TorchCpuGenerator(5);
        for (int i = 0; i < 2_000; i++) drawn.Next32();
        var skipped = new TorchCpuGenerator(5);
        skipped.Skip(2_000);
        Assert.Equal(drawn.Next64(), skipped.Next64());
    }

    [Fact]
    public void Each_epoch_has_its_own_order_computable_alone()
    {
        var order = new EpochOrder(3, AutoEncoder.ExpectedParameters);
        var first = order.Permutation(0, 60_000);
        Assert.Equal(first, new EpochOrder(3, AutoEncoder.ExpectedParameters).Permutation(0, 60_000));
        Assert.NotEqual(first, order.Permutation(1, 60_000));
        Assert.Equal(Enumerable.Range(0, 60_000).Select(i => (long)i), first.Order());
        Assert.NotEqual(order.SamplerSeed(0), new EpochOrder(4, AutoEncoder.ExpectedParameters).SamplerSeed(0));
    }
}
