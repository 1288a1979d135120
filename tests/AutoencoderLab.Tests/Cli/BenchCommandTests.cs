using System.Text.Json;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Cli;

/// <summary>The benchmarks run and write their figures; nothing here asserts a speed.</summary>
public class BenchCommandTests
{
    static JsonElement BenchTrain(TempDirectory dir, IDictionary<string, string>? environment = null, params string[] options) =>
        BenchTrain(dir, environment, out _, options);

    static JsonElement BenchTrain(TempDirectory dir, IDictionary<string, string>? environment, out string output, params string[] options)
    {
        var json = dir.File(Guid.NewGuid() + ".json");
        var result = Aelab.Run(["bench", "train", "--epochs", "1", "--data", TestPaths.SharedMnist, "--json", json, .. options], environment, TimeSpan.FromMinutes(20));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("median epoch", result.Output);
        output = result.Output;
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var figures = document.RootElement.Clone();

        // The floor: the GEMMs of one epoch alone, so below the whole epoch (which adds biases, activations, loss and Adam).
        Assert.Contains("floor (GEMMs of one epoch, timed after each): ", result.Output);
        Assert.Contains("epoch / floor: ", result.Output);
        var floor = figures.GetProperty("floorSeconds").GetDouble();
        // Positive and finite; no comparison with the epoch: both are wall-clock times, and a busy machine can make a
        // single epoch faster than the floor's median.
        Assert.True(floor > 0 && double.IsFinite(floor), $"floorSeconds {floor}");
        // Timed after each epoch; the ratio is the median of each epoch over the floor timed right after it.
        var epochs = figures.GetProperty("epochSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var floors = figures.GetProperty("epochFloorSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(epochs.Length, floors.Length);
        var ratios = epochs.Zip(floors, (e, f) => e / f).Order().ToArray();
        double median = ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[ratios.Length / 2 - 1] + ratios[ratios.Length / 2]) / 2;
        Assert.Equal(median, figures.GetProperty("epochOverFloor").GetDouble(), 9);

        // The parts of the steps, timed inside each epoch: each took time, and together no more than their epoch.
        Assert.Matches(@"per batch \(median over epochs\): gather [0-9.]+ ms, forward [0-9.]+ ms, backward [0-9.]+ ms, adam [0-9.]+ ms; the products alone [0-9.]+ ms", result.Output);
        var parts = figures.GetProperty("epochPartSeconds");
        string[] names = ["gather", "forward", "backward", "adam"];
        Assert.Equal(names, parts.EnumerateObject().Select(p => p.Name));
        for (int e = 0; e < epochs.Length; e++)
        {
            var spent = names.Select(name => parts.GetProperty(name)[e].GetDouble()).ToArray();
            Assert.All(spent, s => Assert.True(s > 0, $"epoch {e + 1}: a part took {s} s"));
            Assert.True(spent.Sum() <= epochs[e], $"epoch {e + 1}: parts {spent.Sum()} s, more than the epoch's {epochs[e]} s");
        }
        Assert.Equal(names, figures.GetProperty("stepPartMilliseconds").EnumerateObject().Select(p => p.Name));
        return figures;
    }

    [Fact]
    public void Bench_train_writes_its_figures_and_the_OpenMP_and_MKL_defaults_yield_to_the_users_setting()
    {
        using var dir = new TempDirectory();
        var defaults = BenchTrain(dir, new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "", ["AELAB_MKL_AVX512"] = "" });
        // --peer without a usable Python: one line says why, the run goes on and exits 0.
        var chosen = BenchTrain(dir, new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "ACTIVE", ["AELAB_MKL_AVX512"] = "0", ["AELAB_PYTHON"] = "/nonexistent/python3" },
            out var withoutPeer, "--peer");
        Assert.Contains("PyTorch peer skipped: no Python that can import torch", withoutPeer);
        Assert.False(chosen.TryGetProperty("peerEpochSeconds", out _));

        Assert.Equal("PASSIVE", defaults.GetProperty("ompWaitPolicy").GetString());
        Assert.Equal("ACTIVE", chosen.GetProperty("ompWaitPolicy").GetString());
        Assert.Equal(1, defaults.GetProperty("epochSeconds").GetArrayLength());
        Assert.True(defaults.GetProperty("medianEpochSeconds").GetDouble() > 0);
        Assert.True(defaults.GetProperty("residentMegabytes")[0].GetDouble() > 100);
        Assert.Equal("cpu", defaults.GetProperty("device").GetString());
        Assert.True(defaults.GetProperty("threads").GetInt32() >= 1);

        // MKL: on an AMD CPU with AVX-512 the override is loaded and MKL really runs its AVX-512 branch
        // (mkl_serv_cpu_detect, asked in the child process); the user's 0 turns it off.
        Assert.StartsWith("off", chosen.GetProperty("mkl").GetString());
        if (Runtime.MklDispatchTests.MachineWantsOverride())
        {
            Assert.StartsWith("AVX-512", defaults.GetProperty("mkl").GetString());
            Assert.NotEqual(0, defaults.GetProperty("mklBranch").GetInt32());
            Assert.Equal(0, chosen.GetProperty("mklBranch").GetInt32());
        }
        else Assert.StartsWith("MKL's own choice", defaults.GetProperty("mkl").GetString());
    }

    [SkippableFact]
    public void Bench_train_peer_times_the_same_epoch_in_PyTorch()
    {
        PyTorchPeer.SkipUnlessAvailable();
        using var dir = new TempDirectory();
        var figures = BenchTrain(dir, new Dictionary<string, string> { ["AELAB_PYTHON"] = PyTorchPeer.Python! }, out var output, "--peer");

        Assert.Matches(@"PyTorch \S+ epoch: [0-9.]+ s; this project / PyTorch: [0-9.]+", output);
        Assert.True(figures.GetProperty("peerEpochSeconds").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(figures.GetProperty("peerVersion").GetString()));
    }

    [Fact]
    public void Bench_tsne_writes_phase_times_and_quality()
    {
        using var dir = new TempDirectory();
        var json = dir.File("tsne.json");
        var result = Aelab.Run("bench", "tsne", "--points", "500", "--space", "pixels", "--data", TestPaths.SharedMnist, "--json", json);
        Assert.True(result.ExitCode == 0, result.All);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var figures = document.RootElement;
        Assert.Equal(500, figures.GetProperty("points").GetInt32());
        foreach (var phase in new[] { "neighbors", "affinities", "optimization" })
            Assert.True(figures.GetProperty("phaseSeconds").GetProperty(phase).GetDouble() >= 0);
        Assert.InRange(figures.GetProperty("knnAccuracy").GetDouble(), 0.7, 1);
        Assert.InRange(figures.GetProperty("knnPreservation").GetDouble(), 0.1, 1);
        Assert.True(figures.GetProperty("kl").GetDouble() > 0);
        Assert.True(figures.GetProperty("seconds").GetDouble() > 0);
    }

    [Fact]
    public void Bench_tsne_runs_the_method_asked_for_and_dumps_its_points()
    {
        using var dir = new TempDirectory();
        var json = dir.File("tsne.json");
        var csv = dir.File("points.csv");
        var result = Aelab.Run("bench", "tsne", "--points", "300", "--space", "pixels", "--method", "fft", "--data", TestPaths.SharedMnist,
            "--json", json, "--dump-csv", csv);
        Assert.True(result.ExitCode == 0, result.All);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("fft", document.RootElement.GetProperty("method").GetString());
        Assert.InRange(document.RootElement.GetProperty("knnAccuracy").GetDouble(), 0.6, 1);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(300, lines.Length);
        Assert.All(lines, line => Assert.Equal(785, line.Split(',').Length));
        Assert.All(lines, line => Assert.InRange(int.Parse(line.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture), 0, 9));

        var refused = Aelab.Run("bench", "tsne", "--points", "300", "--method", "exact", "--data", TestPaths.SharedMnist);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--method", refused.All);
    }
}
