using System.ComponentModel;
using System.Text.Json;
using AutoencoderLab.Reproduction;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary>Options every benchmark shares: where to write its figures as JSON.</summary>
public class BenchSettings : CommonSettings
{
    [CommandOption("--json <FILE>")]
    [Description("Also write the figures as JSON.")]
    public string? Json { get; init; }

    /// <summary>Writes <paramref name="figures"/> to --json (camelCase, atomically), when given.</summary>
    public void WriteJson<T>(T figures)
    {
        if (Json is { } path) AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, figures, RunResults.JsonOptions));
    }
}
