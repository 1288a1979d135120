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
public sealed class BenchTrainCommand : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : BenchSettings
    {
        [CommandOption("--epochs <N>")]
        [Description("Epochs to time.")]
        [DefaultValue(3)]
        public int Epochs { get; init; } = 3;

        public override ValidationResult Validate() =>
            Epochs < 1 ? ValidationResult.Error($"--epochs must be at least 1, not {Epochs}.") : base.Validate();
    }

    /// <summary>The figures the benchmark prints and writes.</summary>
    public sealed record Figures(double MedianEpochSeconds, double[] EpochSeconds, double[] ResidentMegabytes, long[] PageFaults, double PeakResidentMegabytes,
        double? GrowthAfterEpoch2Percent, int Threads, string Device, string OmpWaitPolicy, string Mkl, int? MklBranch, string Machine);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var data = settings.LoadData(console, cancellationToken);
        var device = data.Device;
        using var model = new AutoEncoder().Initialise(settings.Seed, device);
        using var trainer = new Trainer(model, new ReconstructionObjective(), data.TrainImages, data.TrainLabels,
            new TrainingOptions { Epochs = settings.Epochs, Seed = settings.Seed });

        var resident = new List<double>();
        var faults = new List<long>();
        long? faultsBefore = NativeEnvironment.MinorPageFaults();
        var peak = NativeEnvironment.ResidentMegabytes();
        var display = new TrainingDisplay(console);
        var probe = new Relay<TrainingProgress>(p =>
        {
            peak = Math.Max(peak, NativeEnvironment.ResidentMegabytes());
            if (p.EpochCompleted)
            {
                resident.Add(NativeEnvironment.ResidentMegabytes());
                var now = NativeEnvironment.MinorPageFaults();
                if (now is { } n && faultsBefore is { } b) faults.Add(n - b);
                faultsBefore = now;
            }
            display.Report(p);
        });
        display.Show($"Timing {settings.Epochs} epoch(s) of Problem 2", () => trainer.Run(probe, cancellationToken));

        var seconds = trainer.History.EpochSeconds.ToArray();
        var figures = new Figures(
            AssignmentRun.Median(seconds)!.Value, seconds, resident.ToArray(), faults.ToArray(), peak,
            resident.Count >= 3 ? 100.0 * (resident[^1] - resident[1]) / resident[1] : null,
            TorchSharp.torch.get_num_threads(), device.type.ToString().ToLowerInvariant(),
            Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)",
            MklDispatch.Status, MklDispatch.KernelBranch(), MachineDescription.Current);

        var table = new Table().AddColumn("epoch").AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("resident MB").RightAligned())
            .AddColumn(new TableColumn("page faults").RightAligned());
        for (int i = 0; i < seconds.Length; i++)
            table.AddRow($"{i + 1}", $"{seconds[i]:F2}", i < resident.Count ? $"{resident[i]:F0}" : "-", i < faults.Count ? $"{faults[i]:N0}" : "-");
        console.Write(table);
        console.WriteLine($"median epoch: {figures.MedianEpochSeconds:F2} s   peak resident: {figures.PeakResidentMegabytes:F0} MB   growth from epoch 2 to the last: {(figures.GrowthAfterEpoch2Percent is { } g ? $"{g:F1} %" : "-")}");
        console.WriteLine($"threads: {figures.Threads}   device: {figures.Device}   OMP_WAIT_POLICY: {figures.OmpWaitPolicy}   machine: {figures.Machine}");
        console.WriteLine($"MKL: {figures.Mkl}; code branch {(figures.MklBranch is { } b ? b.ToString() : "-")}");
        settings.WriteJson(figures);
        return 0;
    }
}
