using System.ComponentModel;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary>Options every command that touches data and libtorch shares.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("MNIST directory (default: $AELAB_DATA, else data/ at the repository root). Missing files are downloaded there.")]
    public string? Data { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("auto (CUDA when present, else CPU), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--threads <N>")]
    [Description("libtorch threads; 0 keeps libtorch's default (one per core).")]
    [DefaultValue(0)]
    public int Threads { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of everything random; the same seed gives the same losses.")]
    [DefaultValue(3L)]
    public long Seed { get; init; } = 3;

    /// <summary>Applies --threads and --device, makes sure MNIST is on disk (downloading it), and loads it onto the device.</summary>
    public MnistDataset LoadData(IAnsiConsole console, CancellationToken cancellationToken)
    {
        TorchSetup.SetThreads(Threads);
        var device = DeviceChoice.Resolve(Device);
        return MnistDataset.Load(DataPreparation.Ensure(console, Data, cancellationToken), device);
    }

    public override ValidationResult Validate()
    {
        if (Threads < 0) return ValidationResult.Error($"--threads must be 0 or more, not {Threads}.");
        var device = Device.Trim().ToLowerInvariant();
        bool known = device is "auto" or "cpu" or "cuda" || (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out var n) && n >= 0);
        if (!known) return ValidationResult.Error($"--device '{Device}' is not one of {DeviceChoice.Accepted}.");
        if (Data is not null && File.Exists(Data)) return ValidationResult.Error($"--data '{Data}' is a file; give the directory that holds the MNIST files.");
        return ValidationResult.Success();
    }
}
