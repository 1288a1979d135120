using System.ComponentModel;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
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
    [DefaultValue(DeviceChoice.Auto)]
    public string Device { get; init; } = DeviceChoice.Auto;

    [CommandOption("--threads <N>")]
    [Description("libtorch threads; 0 keeps libtorch's default (one per core).")]
    [DefaultValue(0)]
    public int Threads { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of everything random; the same seed gives the same losses.")]
    [DefaultValue(TrainingDefaults.Seed)]
    public long Seed { get; init; } = TrainingDefaults.Seed;

    /// <summary>Applies --threads and --device, makes sure MNIST is on disk (downloading it), and loads it onto the device.</summary>
    public MnistDataset LoadData(IAnsiConsole console, CancellationToken cancellationToken)
    {
        TorchSetup.SetThreads(Threads);
        var device = DeviceChoice.Resolve(Device);
        return MnistDataset.Load(DataPreparation.Ensure(console, Data, cancellationToken), device);
    }

    public override ValidationResult Validate()
    {
        if (Check(() => TorchSetup.ValidateThreads(Threads)) is { } threads) return threads;
        if (Check(() => DeviceChoice.Validate(Device)) is { } device) return device;
        if (Data is not null && File.Exists(Data)) return ValidationResult.Error($"--data '{Data}' is a file; give the directory that holds the MNIST files.");
        return ValidationResult.Success();
    }

    /// <summary>
    /// Applies a library rule (the one home of each); its <see cref="InvalidSettingsException"/> becomes a validation
    /// error that names the option (<c>BatchSize</c> is <c>--batch-size</c>). Null when the rule holds.
    /// </summary>
    protected static ValidationResult? Check(Action rule)
    {
        try { rule(); return null; }
        catch (InvalidSettingsException e) { return ValidationResult.Error(e.MessageNaming(OptionOf(e.Setting ?? ""))); }
    }

    /// <summary>The option of a settings property: <c>ContrastiveEpochs</c> is <c>--contrastive-epochs</c>.</summary>
    internal static string OptionOf(string setting) =>
        "--" + string.Concat(setting.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
