using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoencoderLab.Runtime;

/// <summary>
/// Process settings that must be in place before libtorch is loaded, and allocator hygiene.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>
    /// Environment defaults applied before libtorch loads. A value the user already set wins.
    /// OMP_WAIT_POLICY=PASSIVE: libtorch's OpenMP threads otherwise spin between parallel
    /// regions and, on a machine with few cores and any other busy process, slow every epoch down
    /// (README, "Toolchain notes"). THP_MEM_ALLOC_ENABLE=1: libtorch aligns tensors of 2 MB and more to 2 MB and
    /// asks for transparent huge pages, so a new data-set-sized tensor costs one page fault per 2 MB instead of
    /// one per 4 KB (page faults are dear on virtual machines: README, "Toolchain notes").
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["OMP_WAIT_POLICY"] = "PASSIVE",
        ["THP_MEM_ALLOC_ENABLE"] = "1",
    };

    static int applied;

    /// <summary>
    /// Applies <see cref="Defaults"/> to this process (idempotent). Runs automatically when the
    /// library is loaded; call it yourself first if you touch TorchSharp before this library.
    /// </summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1) return;
        foreach (var (name, value) in Defaults)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) continue;
            Environment.SetEnvironmentVariable(name, value);
            // .NET keeps its own copy of the environment; native code (libgomp) reads libc's.
            if (!OperatingSystem.IsWindows()) _ = setenv(name, value, 0);
        }
        KeepFreedMemory();
        MklDispatch.Apply();
    }

    /// <summary>
    /// glibc's defaults hand the top of the heap back to the kernel whenever more than a few MB are free,
    /// which a training step does every time its dispose scope ends: the next step then page-faults its
    /// 4 MB activations back in (README, "Toolchain notes", has the cost). Fixed thresholds keep
    /// freed blocks for reuse; <see cref="TrimHeap"/> after a training run gives them back. Skipped when the
    /// user tunes malloc through the environment.
    /// </summary>
    static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || UserTunesAllocator()) return;
        try
        {
            _ = mallopt(MmapThreshold, 32 << 20); // the largest glibc accepts; fixing it also stops it from sliding
            _ = mallopt(TrimThreshold, 1 << 30);
            AllocatorTuned = true;
        }
        catch (EntryPointNotFoundException) { } // musl and other libcs
        catch (DllNotFoundException) { }
    }

    /// <summary>True when the environment sets any <c>MALLOC_*</c> variable or <c>glibc.malloc.*</c> tunable: then the user's settings win.</summary>
    internal static bool UserTunesAllocator() =>
        (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "").Contains("glibc.malloc.", StringComparison.Ordinal)
        || Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal));

    /// <summary>Whether <see cref="Apply"/> set glibc's mmap and trim thresholds (Linux with glibc, not overridden by the user).</summary>
    public static bool AllocatorTuned { get; private set; }

    const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>
    /// Returns freed heap memory to the operating system (glibc only; elsewhere a no-op): called when
    /// a training run ends, so the blocks kept for reuse during training do not outlive it.
    /// </summary>
    public static void TrimHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = malloc_trim(0); }
        catch (EntryPointNotFoundException) { } // musl and other libcs: nothing to trim
        catch (DllNotFoundException) { }
    }

    /// <summary>Resident memory of this process in MB.</summary>
    public static double ResidentMegabytes()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>Minor page faults of this process so far (Linux; null elsewhere): each is a page the kernel had to hand out.</summary>
    public static long? MinorPageFaults()
    {
        if (!OperatingSystem.IsLinux()) return null;
        // /proc/self/stat: "pid (name) state ppid ..."; minflt is the 10th field, the 8th after the name.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }

#pragma warning disable CA2255 // Must run before any TorchSharp type loads libtorch, whoever calls first.
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
