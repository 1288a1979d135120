using TorchSharp;

namespace AutoencoderLab.Runtime;

/// <summary>Per-run torch settings: threads and seeds.</summary>
public static class TorchSetup
{
    /// <summary>
    /// Sets libtorch's intra-op thread count when <paramref name="threads"/> is positive;
    /// 0 keeps libtorch's default (one per core).
    /// </summary>
    public static void SetThreads(int threads)
    {
        ValidateThreads(threads);
        if (threads > 0) torch.set_num_threads(threads);
    }

    /// <summary>Throws <see cref="InvalidSettingsException"/> for a negative thread count.</summary>
    public static void ValidateThreads(int threads) => InvalidSettingsException.ThrowIfBelow("Threads", threads, 0);

    /// <summary>Seeds libtorch's global generators (CPU and, where present, every CUDA device).</summary>
    public static void Seed(long seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>
    /// Derives an independent seed for one stream of randomness (e.g. the shuffle of epoch 7) from the run's seed,
    /// so every epoch can be replayed on its own: that is what makes resuming bit-identical.
    /// </summary>
    public static long Derive(long seed, string stream, long index)
    {
        // SplitMix64 over (seed, stream, index): cheap, well mixed, stable across .NET versions.
        ulong h = (ulong)seed;
        foreach (char c in stream) h = Mix(h ^ c);
        h = Mix(h ^ (ulong)index);
        return (long)(h & 0x7FFF_FFFF_FFFF_FFFF);
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
