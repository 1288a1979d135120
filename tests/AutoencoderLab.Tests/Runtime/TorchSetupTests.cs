using AutoencoderLab.Runtime;

namespace AutoencoderLab.Tests.Runtime;

public class TorchSetupTests
{
    [Fact]
    public void Derived_seeds_are_stable_and_distinct_per_stream_and_index()
    {
        Assert.Equal(TorchSetup.Derive(3, "shuffle", 7), TorchSetup.Derive(3, "shuffle", 7));
        var seeds = new HashSet<long>();
        foreach (var stream in new[] { "shuffle", "contrastive", "model" })
            for (int i = 0; i < 100; i++) Assert.True(seeds.Add(TorchSetup.Derive(3, stream, i)));
        Assert.NotEqual(TorchSetup.Derive(3, "shuffle", 0), TorchSetup.Derive(4, "shuffle", 0));
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void Negative_thread_counts_are_refused()
    {
        Assert.Throws<InvalidSettingsException>(() => TorchSetup.SetThreads(-1));
    }

    [SkippableTheory]
    [InlineData("OMP_WAIT_POLICY")]
    [InlineData("THP_MEM_ALLOC_ENABLE")]
    public void Loading_the_library_applies_its_native_defaults_unless_the_user_set_one(string name)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the environment this process started with is read from /proc/self/environ (Linux only)");
        NativeEnvironment.Apply();
        // The environment as the process was started, before the library's module initializer ran.
        var started = File.ReadAllText("/proc/self/environ").Split('\0')
            .FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        var expected = string.IsNullOrEmpty(started) ? NativeEnvironment.Defaults[name] : started;
        Assert.Equal(expected, Environment.GetEnvironmentVariable(name));
    }
}
