using AutoencoderLab.Runtime;

namespace AutoencoderLab.Training;

/// <summary>
/// The order in which an epoch visits the training set: the one PyTorch's <c>DataLoader(shuffle=True)</c> gives a
/// program that called <c>torch.manual_seed(seed)</c> and then built the model. Each epoch, PyTorch draws two int64
/// from the global generator (the loader's base seed, then the sampler's seed) and shuffles with
/// <c>torch.randperm(n, generator=Generator().manual_seed(samplerSeed))</c>. So with the same seed the same batches
/// come in the same order as in the original notebook. Any epoch can be computed on its own from (seed, epoch),
/// which is what makes a resumed run identical to an uninterrupted one.
/// </summary>
/// <param name="seed">The run's seed (<c>torch.manual_seed</c>).</param>
/// <param name="drawsBefore">32-bit draws made from the global generator before the first epoch: the model's
/// initialisation draws one per parameter (<see cref="Models.AutoEncoder.ParameterCount"/>).</param>
public sealed class EpochOrder(long seed, long drawsBefore)
{
    /// <summary>What checkpoints record of the order, so a run is never resumed with another one.</summary>
    public const string Name = "pytorch-dataloader";

    /// <summary>The seed of the run.</summary>
    public long Seed { get; } = seed;

    /// <summary>Draws made before the first epoch.</summary>
    public long DrawsBefore { get; } = drawsBefore;

    /// <summary>The sampler's seed in epoch <paramref name="epoch"/> (0-based), as PyTorch's RandomSampler draws it.</summary>
    public long SamplerSeed(int epoch)
    {
        var global = new TorchCpuGenerator(Seed);
        global.Skip(DrawsBefore + 4L * epoch); // each earlier epoch: two 64-bit draws
        global.NextInt64();                    // the loader iterator's base seed (used by worker processes only)
        return global.NextInt64();
    }

    /// <summary>The permutation of <paramref name="samples"/> positions that epoch <paramref name="epoch"/> (0-based) visits.</summary>
    public long[] Permutation(int epoch, int samples) => new TorchCpuGenerator(SamplerSeed(epoch)).Permutation(samples);
}
