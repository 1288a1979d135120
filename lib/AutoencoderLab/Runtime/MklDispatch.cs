using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace AutoencoderLab.Runtime;

/// <summary>
/// Lets oneMKL (linked into libtorch) use its AVX-512 matrix kernels on AMD processors that have AVX-512 (Zen 4, Zen 5).
/// MKL picks its AVX-512 code only when <c>mkl_serv_intel_cpu_true()</c> says the vendor is Intel; elsewhere it runs
/// AVX2 kernels at half the speed, and the matrix products are most of a training epoch. Like the well-known
/// <c>LD_PRELOAD</c> "fakeintel" library, <see cref="Apply"/> loads, before libtorch, a 4 KB shared object (written to
/// an in-memory file) whose <c>mkl_serv_intel_cpu_true</c> returns 1; the dynamic linker then binds libtorch's call
/// to it. The arithmetic is the same (single precision, another summation order); only the kernel changes.
/// Linux x64 only; off with <c>AELAB_MKL_AVX512=0</c>; a no-op on Intel CPUs and CPUs without AVX-512.
/// </summary>
public static partial class MklDispatch
{
    /// <summary>Set to <c>0</c> to keep MKL's own choice of kernels.</summary>
    public const string EnvironmentVariable = "AELAB_MKL_AVX512";

    const string Symbol = "mkl_serv_intel_cpu_true";

    /// <summary>True when the override is loaded: MKL, once libtorch loads, chooses kernels as on an Intel CPU.</summary>
    public static bool Applied { get; private set; }

    /// <summary>One line for benchmarks and reports: what MKL was allowed to do, or why not.</summary>
    public static string Status { get; private set; } = "not attempted";

    static int attempted;

    /// <summary>
    /// The code branch MKL chose in this process (<c>mkl_serv_cpu_detect</c>: 0 is its generic branch, which is what
    /// it runs on AMD CPUs by itself), or null where libtorch carries no MKL. Loads libtorch if it is not loaded yet.
    /// </summary>
    public static int? KernelBranch()
    {
        try { return mkl_serv_cpu_detect(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>
    /// Loads the override if this machine wants it (idempotent). Must run before libtorch is loaded, which
    /// <see cref="NativeEnvironment.Apply"/> ensures by calling it from the library's module initializer.
    /// </summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref attempted, 1) == 1) return;
        Status = Reason() ?? Load();
    }

    static string? Reason()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) == "0") return $"off ({EnvironmentVariable}=0)";
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "MKL's own choice (only Linux x64 is handled)";
        if (!IsAmd()) return "MKL's own choice (not an AMD CPU)";
        if (!(Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported)) return "MKL's own choice (no AVX-512)";
        return null;
    }

    static string Load()
    {
        try
        {
            if (dlopen("libtorch_cpu.so", RtldLazy | RtldNoLoad) != 0) return "MKL's own choice (libtorch was loaded before this library)";
            // An in-memory file leaves nothing behind; where executable memfds are forbidden, a temporary file does.
            if (LoadFromMemory() is { } memoryError && LoadFromTemporaryFile() is { } fileError)
                return $"MKL's own choice (the override did not load: {memoryError}; {fileError})";
            Applied = true;
            return "AVX-512 kernels (MKL's Intel-only check answered for this AMD CPU)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"MKL's own choice ({e.GetType().Name})";
        }
    }

    static string? LoadFromMemory()
    {
        int fd = memfd_create("aelab-mkl-avx512", MfdCloexec);
        if (fd < 0) return $"memfd_create failed, errno {Marshal.GetLastPInvokeError()}";
        try
        {
            var image = SharedObject();
            return write(fd, image, image.Length) == image.Length ? Open($"/proc/self/fd/{fd}") : "could not write the in-memory file";
        }
        finally { _ = close(fd); } // the mapping keeps the object alive
    }

    static string? LoadFromTemporaryFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aelab-mkl-avx512-{Environment.ProcessId}.so");
        try
        {
            File.WriteAllBytes(path, SharedObject());
            return Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return e.Message; }
        finally { try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    static string? Open(string path) =>
        dlopen(path, RtldNow | RtldGlobal) != 0 ? null : Marshal.PtrToStringUTF8(dlerror()) ?? "dlopen failed";

    static bool IsAmd()
    {
        if (!X86Base.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(vendor, ebx);
        BinaryPrimitives.WriteInt32LittleEndian(vendor[4..], edx);
        BinaryPrimitives.WriteInt32LittleEndian(vendor[8..], ecx);
        return Encoding.ASCII.GetString(vendor) == "AuthenticAMD";
    }

    /// <summary>
    /// A minimal x86-64 ELF shared object defining <c>int mkl_serv_intel_cpu_true(void) { return 1; }</c>:
    /// an R+X segment (headers, SysV hash, symbol and string tables, 6 bytes of code) and an RW segment
    /// (the dynamic section), plus a non-executable-stack header. No section headers: the loader needs none.
    /// </summary>
    internal static byte[] SharedObject()
    {
        const int phOff = 0x40, phCount = 4, hashOff = 0x120, symOff = 0x138, strOff = 0x168, codeOff = 0x190, dynOff = 0x1000;
        byte[] names = Encoding.ASCII.GetBytes("\0" + Symbol + "\0");
        byte[] code = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3]; // mov eax, 1; ret
        (long Tag, long Value)[] dynamic = [(4, hashOff), (5, strOff), (6, symOff), (10, names.Length), (11, 24), (0, 0)];
        var image = new byte[dynOff + dynamic.Length * 16];
        var s = image.AsSpan();

        // ELF header: 64-bit, little endian, current version, shared object, x86-64.
        "\u007FELF"u8.CopyTo(s);
        s[4] = 2; s[5] = 1; s[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(s[16..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(s[18..], 62);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(s[32..], phOff);
        BinaryPrimitives.WriteUInt16LittleEndian(s[52..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(s[54..], 56);
        BinaryPrimitives.WriteUInt16LittleEndian(s[56..], phCount);
        BinaryPrimitives.WriteUInt16LittleEndian(s[58..], 64);

        void Segment(int index, uint type, uint flags, long offset, long size, long align)
        {
            var p = image.AsSpan(phOff + index * 56);
            BinaryPrimitives.WriteUInt32LittleEndian(p, type);
            BinaryPrimitives.WriteUInt32LittleEndian(p[4..], flags);
            BinaryPrimitives.WriteInt64LittleEndian(p[8..], offset);   // file offset
            BinaryPrimitives.WriteInt64LittleEndian(p[16..], offset);  // virtual address
            BinaryPrimitives.WriteInt64LittleEndian(p[24..], offset);  // physical address
            BinaryPrimitives.WriteInt64LittleEndian(p[32..], size);    // size in the file
            BinaryPrimitives.WriteInt64LittleEndian(p[40..], size);    // size in memory
            BinaryPrimitives.WriteInt64LittleEndian(p[48..], align);
        }
        const uint Load = 1, Dynamic = 2, GnuStack = 0x6474E551, R = 4, W = 2, X = 1;
        Segment(0, Load, R | X, 0, codeOff + code.Length, 0x1000);
        Segment(1, Load, R | W, dynOff, dynamic.Length * 16, 0x1000);
        Segment(2, Dynamic, R | W, dynOff, dynamic.Length * 16, 8);
        Segment(3, GnuStack, R | W, 0, 0, 16);

        // SysV hash with one bucket: bucket[0] = symbol 1, chain ends there.
        uint[] hash = [1, 2, 1, 0, 0];
        for (int i = 0; i < hash.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(s[(hashOff + 4 * i)..], hash[i]);

        // Symbol 1 (symbol 0 is the null symbol): global function at codeOff, defined (any section index but 0).
        var symbol = s[(symOff + 24)..];
        BinaryPrimitives.WriteUInt32LittleEndian(symbol, 1);
        symbol[4] = 0x12;
        BinaryPrimitives.WriteUInt16LittleEndian(symbol[6..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(symbol[8..], codeOff);
        BinaryPrimitives.WriteInt64LittleEndian(symbol[16..], code.Length);

        names.CopyTo(s[strOff..]);
        code.CopyTo(s[codeOff..]);
        for (int i = 0; i < dynamic.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(s[(dynOff + 16 * i)..], dynamic[i].Tag);
            BinaryPrimitives.WriteInt64LittleEndian(s[(dynOff + 16 * i + 8)..], dynamic[i].Value);
        }
        return image;
    }

    [LibraryImport("torch_cpu", EntryPoint = "mkl_serv_cpu_detect")]
    private static partial int mkl_serv_cpu_detect();

    const int RtldLazy = 0x1, RtldNow = 0x2, RtldNoLoad = 0x4, RtldGlobal = 0x100, MfdCloexec = 1;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint dlerror();

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
