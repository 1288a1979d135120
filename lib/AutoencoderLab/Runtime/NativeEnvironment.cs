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
    /// regions and, on a 2-core machine with any other busy process, an epoch gets 2-10x slower.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["OMP_WAIT_POLICY"] = "PASSIVE",
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
    }

    /// <summary>
    /// Returns freed heap memory to the operating system (glibc only; elsewhere a no-op).
    /// glibc keeps the blocks of freed tensors in its arenas, so resident memory grows by
    /// hundreds of MB an epoch although no tensor is alive; trimming once an epoch keeps it flat.
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

#pragma warning disable CA2255 // Must run before any TorchSharp type loads libtorch, whoever calls first.
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
