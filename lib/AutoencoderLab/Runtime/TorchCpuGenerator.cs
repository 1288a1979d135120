using System.Runtime.CompilerServices;

namespace AutoencoderLab.Runtime;

/// <summary>
/// PyTorch's CPU random generator (a 32-bit Mersenne Twister, <c>at::mt19937</c>) re-implemented in C#, so the library
/// can follow the exact stream of draws a PyTorch program makes from <c>torch.manual_seed(seed)</c> on, and jump
/// ahead in it, without holding a libtorch generator.
/// </summary>
public sealed class TorchCpuGenerator
{
    const int N = 624, M = 397;
    readonly uint[] state = new uint[N];
    int next = N;

    /// <summary>A generator in the state <c>torch.manual_seed(seed)</c> leaves (only the low 32 bits of the seed count, as in PyTorch).</summary>
    public TorchCpuGenerator(long seed)
    {
        state[0] = (uint)seed;
        for (uint j = 1; j < N; j++) state[j] = 1812433253u * (state[j - 1] ^ (state[j - 1] >> 30)) + j;
    }

    /// <summary>The next 32-bit output (<c>CPUGeneratorImpl::random</c>): one float of <c>uniform_</c>, one step of <c>randperm</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next32()
    {
        if (next >= N) Twist();
        uint y = state[next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        return y ^ (y >> 18);
    }

    /// <summary>The next 64-bit output (<c>CPUGeneratorImpl::random64</c>): the first 32-bit draw is the high half.</summary>
    public ulong Next64()
    {
        ulong high = Next32();
        return (high << 32) | Next32();
    }

    /// <summary><c>torch.empty((), dtype=torch.int64).random_()</c>: a 64-bit draw folded into [0, 2^63).</summary>
    public long NextInt64() => (long)(Next64() & long.MaxValue);

    /// <summary>Skips <paramref name="count"/> 32-bit outputs (what <c>uniform_</c> on that many floats consumes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Skip(long count)
    {
        while (count > 0)
        {
            if (next >= N) Twist();
            int take = (int)Math.Min(N - next, count);
            next += take;
            count -= take;
        }
    }

    /// <summary><c>torch.randperm(n, generator=this)</c> on the CPU (PyTorch's Fisher-Yates for n below 2^32 / 20).</summary>
    // Millions of draws per epoch and check, once or twice per notebook kernel: compiled optimised at once rather than
    // run unoptimised until the runtime tiers it up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long[] Permutation(int n)
    {
        var result = new long[n];
        for (int i = 0; i < n; i++) result[i] = i;
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(Next32() % (uint)(n - i));
            (result[i], result[z + i]) = (result[z + i], result[i]);
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Twist()
    {
        // The reference recurrence, state[i] from state[i + 1] and state[i + M] (indices mod N), in three runs without the modulo.
        int i = 0;
        for (; i < N - M; i++) state[i] = Mix(state[i], state[i + 1], state[i + M]);
        for (; i < N - 1; i++) state[i] = Mix(state[i], state[i + 1], state[i + M - N]);
        state[N - 1] = Mix(state[N - 1], state[0], state[M - 1]);
        next = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint Mix(uint current, uint following, uint far)
    {
        uint y = (current & 0x80000000u) | (following & 0x7FFFFFFFu);
        return far ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908B0DFu : 0u);
    }
}
