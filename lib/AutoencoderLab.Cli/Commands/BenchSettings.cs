using System.ComponentModel;
using System.Text.Json;
using AutoencoderLab.Reproduction;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary>Options every benchmark shares: where to write its measurements as JSON.</summary>
public class BenchSettings : CommonSettings
{
    [CommandOption("--json <FILE>")]
    [Description("Also write the measurements as JSON.")]
    public string? Json { get; init; }

    /// <summary>Writes <paramref name="measured"/> to --json (camelCase, atomically), when given.</summary>
    public void WriteJson<T>(T measured)
    {
        if (Json is { } path) AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, measured, RunResults.JsonOptions));
    }
}
