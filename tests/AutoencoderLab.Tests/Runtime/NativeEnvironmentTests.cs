using System.Runtime.InteropServices;
using AutoencoderLab.Runtime;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Runtime;

/// <summary>
/// The allocator settings: a freed block the size of a step's activations is reused, not handed back to the
/// kernel and faulted in again. Runs alone (no other test allocating between the free and the reuse).
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class NativeEnvironmentTests
{
    [SkippableFact]
    public unsafe void A_freed_activation_sized_block_is_reused_without_page_faults()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux only: glibc's thresholds are what is set; elsewhere nothing is");
        NativeEnvironment.Apply();
        if (NativeEnvironment.UserTunesAllocator())
        {
            Assert.False(NativeEnvironment.AllocatorTuned); // the user's settings win
            Skip.If(true, "the environment tunes malloc itself (MALLOC_* or glibc.malloc tunables), so the library's tuning is not applied to test");
        }
        Assert.True(NativeEnvironment.AllocatorTuned, "the library did not set glibc's thresholds");

        const int size = 8 << 20; // two 1024 x 1000 float activations
        const int pages = size / 4096;
        Touch(size); // the heap grows to hold the block once

        long before = NativeEnvironment.MinorPageFaults()!.Value;
        for (int i = 0; i < 5; i++) Touch(size);
        long faults = NativeEnvironment.MinorPageFaults()!.Value - before;

        // With glibc's defaults (MALLOC_CHECK_=0 set makes the library leave them alone) the block goes back to
        // the kernel at each free and its pages fault in again: far above this bound.
        Assert.True(faults < pages / 4, $"{faults:N0} page faults for 5 reuses of a {pages:N0}-page block");
    }

    [SkippableFact]
    public void A_data_set_sized_tensor_lies_on_huge_pages()
    {
        const string settings = "/sys/kernel/mm/transparent_hugepage/enabled";
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists(settings), "Linux with transparent huge pages only");
        Skip.If(File.ReadAllText(settings).Contains("[never]", StringComparison.Ordinal), "this machine's transparent huge pages are off ([never])");
        NativeEnvironment.Apply();
        Skip.If(Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") != "1", "THP_MEM_ALLOC_ENABLE is set to something else in this environment");

        long before = HugePagesKilobytes(), faults = NativeEnvironment.MinorPageFaults()!.Value;
        using var data = TorchSharp.torch.ones(16L << 20); // 64 MB, MNIST's training images are three times that
        long huge = HugePagesKilobytes() - before;
        faults = NativeEnvironment.MinorPageFaults()!.Value - faults;
        // Without THP_MEM_ALLOC_ENABLE libtorch's block gets 4 KB pages: no huge pages and 16,384 faults.
        Assert.True(huge >= 32 << 10, $"{huge:N0} kB of the tensor's 65,536 kB on huge pages ({faults:N0} page faults)");
    }

    static long HugePagesKilobytes() =>
        long.Parse(File.ReadLines("/proc/self/smaps_rollup").First(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    static unsafe void Touch(int size)
    {
        var block = (byte*)NativeMemory.Alloc((nuint)size);
        for (int offset = 0; offset < size; offset += 4096) block[offset] = 1;
        NativeMemory.Free(block);
    }

    [SkippableFact]
    public void Minor_page_faults_are_counted_on_Linux()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux only: page faults are read from /proc/self/stat");
        long before = NativeEnvironment.MinorPageFaults()!.Value;
        // malloc maps a block this large afresh from the kernel (a managed array could reuse pages the GC already holds,
        // late in a long test run), so touching each page faults it in.
        const int Size = 64 << 20;
        var fresh = System.Runtime.InteropServices.Marshal.AllocHGlobal(Size);
        try
        {
            for (int i = 0; i < Size; i += 4096) System.Runtime.InteropServices.Marshal.WriteByte(fresh, i, 1);
            long faults = NativeEnvironment.MinorPageFaults()!.Value - before;
            Assert.True(faults >= 1000, $"{faults} minor page faults for touching {Size / 4096} fresh pages");
        }
        finally { System.Runtime.InteropServices.Marshal.FreeHGlobal(fresh); }
    }
}
