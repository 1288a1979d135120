using System.ComponentModel;
using System.Text.Json;
using AutoencoderLab.Models;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab bench train</c>: seconds per epoch and resident memory of Problem 2's training.</summary>
public sealed class BenchTrainCommand(IAnsiConsole console) : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : BenchSettings
    {
        [CommandOption("--epochs <N>")]
        [Description("Epochs to time.")]
        [DefaultValue(3)]
        public int Epochs { get; init; } = 3;

        [CommandOption("--peer")]
        [Description("Also time the same epochs in PyTorch (bench/pytorch_epoch.py; $AELAB_PYTHON, else python3 with torch).")]
        public bool Peer { get; init; }

        public override ValidationResult Validate() =>
            Epochs < 1 ? ValidationResult.Error($"--epochs must be at least 1, not {Epochs}.") : base.Validate();
    }

    /// <summary>
    /// What the benchmark prints and writes. FloorSeconds: the median time of the GEMMs of one epoch alone
    /// (<see cref="EpochFloor"/>), timed after each epoch (EpochFloorSeconds); EpochOverFloor: the median of each epoch's
    /// time over the floor timed right after it, so a machine whose speed drifts during the run does not bias it;
    /// PeerEpochSeconds and PeerVersion: PyTorch's median epoch in the same run (--peer), null without it.
    /// EpochPartSeconds: per part of a step (<see cref="TimedTrainer.Parts"/>), its seconds in each epoch;
    /// StepPartMilliseconds: per part, the median over epochs of its milliseconds per batch.
    /// </summary>
    public sealed record Measurements(double MedianEpochSeconds, double[] EpochSeconds, double[] ResidentMegabytes, long[] PageFaults, double PeakResidentMegabytes,
        double? GrowthAfterEpoch2Percent, int Threads, string Device, string OmpWaitPolicy, string Mkl, int? MklBranch, string Machine,
        double FloorSeconds, double[] EpochFloorSeconds, double EpochOverFloor, double? PeerEpochSeconds, string? PeerVersion,
        IReadOnlyDictionary<string, double[]> EpochPartSeconds, IReadOnlyDictionary<string, double> StepPartMilliseconds);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = settings.LoadData(console, cancellationToken);
        var device = data.Device;
        using var model = AutoEncoder.Seeded(settings.Seed, device);
        using var trainer = new TimedTrainer(model, new ReconstructionObjective(), data.TrainImages, data.TrainLabels,
            new TrainingOptions { Epochs = settings.Epochs, Seed = settings.Seed });

        using var floor = new EpochFloor(model, device, (int)data.TrainImages.shape[0]);
        var floors = new List<double>();
        var resident = new List<double>();
        var faults = new List<long>();
        long? faultsBefore = NativeEnvironment.MinorPageFaults();
        var peak = NativeEnvironment.ResidentMegabytes();
        var display = new TrainingDisplay(console);
        var probe = new SyncProgress<TrainingProgress>(p =>
        {
            peak = Math.Max(peak, NativeEnvironment.ResidentMegabytes());
            if (p.EpochCompleted)
            {
                resident.Add(NativeEnvironment.ResidentMegabytes());
                var now = NativeEnvironment.MinorPageFaults();
                if (now is { } n && faultsBefore is { } b) faults.Add(n - b);
                faultsBefore = now;
                floors.Add(floor.Time());
            }
            display.Report(p);
        });
        display.Show($"Timing {settings.Epochs} epoch(s) of Problem 2", () => trainer.Run(probe, cancellationToken));

        var seconds = trainer.History.EpochSeconds.ToArray();
        var median = Statistics.Median(seconds)!.Value;
        var peer = settings.Peer ? RunPeer(console, settings, data, cancellationToken) : null;
        var parts = TimedTrainer.Parts.Select((name, i) => (name, seconds: trainer.EpochPartSeconds.Select(e => e[i]).ToArray())).ToList();
        var perBatch = parts.ToDictionary(p => p.name, p => Statistics.Median(p.seconds)!.Value * 1000 / trainer.BatchesPerEpoch);
        var measured = new Measurements(
            median, seconds, resident.ToArray(), faults.ToArray(), peak,
            resident.Count >= 3 ? 100.0 * (resident[^1] - resident[1]) / resident[1] : null,
            TorchSharp.torch.get_num_threads(), device.type.ToString().ToLowerInvariant(),
            Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)",
            MklDispatch.Status, MklDispatch.KernelBranch(), MachineDescription.Current,
            Statistics.Median(floors)!.Value, floors.ToArray(), Statistics.Median(seconds.Zip(floors, (epoch, products) => epoch / products).ToArray())!.Value,
            peer?.MedianEpochSeconds, peer?.Version, parts.ToDictionary(p => p.name, p => p.seconds), perBatch);

        var table = new Table().AddColumn("epoch").AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("resident MB").RightAligned())
            .AddColumn(new TableColumn("page faults").RightAligned());
        for (int i = 0; i < seconds.Length; i++)
            table.AddRow($"{i + 1}", $"{seconds[i]:F2}", i < resident.Count ? $"{resident[i]:F0}" : "-", i < faults.Count ? $"{faults[i]:N0}" : "-");
        console.Write(table);
        console.WriteLine($"median epoch: {measured.MedianEpochSeconds:F2} s   peak resident: {measured.PeakResidentMegabytes:F0} MB   growth from epoch 2 to the last: {(measured.GrowthAfterEpoch2Percent is { } g ? $"{g:F1} %" : "-")}");
        console.WriteLine($"floor (GEMMs of one epoch, timed after each): {measured.FloorSeconds:F2} s; epoch / floor: {measured.EpochOverFloor:F2} (median of the pairs)");
        console.WriteLine($"per batch (median over epochs): {string.Join(", ", perBatch.Select(p => $"{p.Key} {p.Value:F1} ms"))}; " +
                          $"the products alone {measured.FloorSeconds * 1000 / trainer.BatchesPerEpoch:F1} ms");
        if (peer is not null)
            console.WriteLine($"PyTorch {peer.Version} epoch: {peer.MedianEpochSeconds:F2} s; this project / PyTorch: {median / peer.MedianEpochSeconds:F2}");
        console.WriteLine($"threads: {measured.Threads}   device: {measured.Device}   OMP_WAIT_POLICY: {measured.OmpWaitPolicy}   machine: {measured.Machine}");
        console.WriteLine($"MKL: {measured.Mkl}; code branch {(measured.MklBranch is { } b ? b.ToString() : "-")}");
        settings.WriteJson(measured);
        return 0;
    }

    /// <summary>PyTorch's epochs with this run's threads and device, or null (saying why) when there is no PyTorch or it fails.</summary>
    static PyTorchEpochs? RunPeer(IAnsiConsole console, Settings settings, MnistDataset data, CancellationToken cancellationToken)
    {
        if (PyTorchEpochs.FindPython(out var reason) is not { } python)
        {
            console.WriteLine($"PyTorch peer skipped: {reason}");
            return null;
        }
        var images = new MnistLocation(data.Directory).Find(MnistFile.TrainImages)!;
        console.WriteLine($"Timing {settings.Epochs} epoch(s) in PyTorch ({python} {Path.GetFileName(PyTorchEpochs.Script)})...");
        try
        {
            return PyTorchEpochs.Run(python, images, settings.Epochs, TorchSharp.torch.get_num_threads(), data.Device.type == TorchSharp.DeviceType.CUDA ? data.Device.ToString() : "cpu",
                settings.Seed, cancellationToken);
        }
        catch (AutoencoderLabException e)
        {
            console.WriteLine($"PyTorch peer skipped: {e.Message}");
            return null;
        }
    }
}
