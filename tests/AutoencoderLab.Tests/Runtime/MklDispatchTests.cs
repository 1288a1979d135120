using System.Runtime.InteropServices;
using AutoencoderLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Runtime;

/// <summary>
/// The MKL override: the generated shared object is one the dynamic linker accepts and answers 1, and matrix
/// products stay correct whichever kernels MKL runs. Whether MKL took the AVX-512 branch in a real process is
/// checked in <c>BenchCommandTests</c> (a child process, where nothing can load libtorch before the library).
/// </summary>
public partial class MklDispatchTests
{
    /// <summary>What the override should do on this machine, from /proc/cpuinfo rather than from the code under test.</summary>
    public static bool MachineWantsOverride()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        var cpuinfo = File.ReadAllText("/proc/cpuinfo");
        var flags = cpuinfo.Split('\n').First(l => l.StartsWith("flags")).Split(' ');
        return cpuinfo.Contains("AuthenticAMD") && new[] { "avx512f", "avx512bw", "avx512dq", "avx512vl" }.All(flags.Contains);
    }

    [SkippableFact]
    public unsafe void The_generated_shared_object_loads_and_its_function_returns_1()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "Linux x64 only, like the override");
        using var dir = new Support.TempDirectory();
        var path = dir.File("libmkl-override.so");
        File.WriteAllBytes(path, MklDispatch.SharedObject());

        // RTLD_LOCAL: the test must not change which function libtorch binds to.
        var handle = dlopen(path, 2);
        Assert.True(handle != 0, Marshal.PtrToStringUTF8(dlerror()));
        var function = (delegate* unmanaged<int>)dlsym(handle, "mkl_serv_intel_cpu_true");
        Assert.True(function != null);
        Assert.Equal(1, function());
        Assert.Equal(0, dlsym(handle, "mkl_serv_intel_cpu")); // the object defines that one symbol and nothing else
    }

    [Fact]
    public void The_status_says_what_the_override_did()
    {
        NativeEnvironment.Apply();
        // Applied or not, the status says which, and when not, why (in parentheses).
        Assert.Equal(MklDispatch.Applied, MklDispatch.Status.StartsWith("AVX-512 kernels", StringComparison.Ordinal));
        if (!MklDispatch.Applied) Assert.Matches(@"^(off|MKL's own choice) \(.+\)$", MklDispatch.Status);
        // In this process libtorch may have loaded first (then the override is refused), so only one direction holds here.
        if (!MachineWantsOverride()) Assert.False(MklDispatch.Applied, MklDispatch.Status);
    }

    [Fact]
    public void Matrix_products_match_a_double_precision_reference()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var a = rand([300, 784], generator: generator) - 0.5;
        var b = rand([784, 1000], generator: generator) - 0.5;
        var single = a.mm(b);
        var reference = a.to_type(ScalarType.Float64).mm(b.to_type(ScalarType.Float64));
        double worst = (single.to_type(ScalarType.Float64) - reference).abs().max().item<double>();
        Assert.True(worst < 1e-4, $"largest error {worst:E2}");
        Assert.True(reference.abs().max().item<double>() > 1); // the products are not trivially small
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlsym(nint handle, string symbol);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint dlerror();
}
