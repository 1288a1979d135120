using System.Text.Json;

namespace AutoencoderLab.Reproduction;

/// <summary>The record of one <c>aelab sweep</c>, written as <c>sweep.json</c> (camelCase keys).</summary>
public sealed record SweepResults
{
    /// <summary>File name in the output directory.</summary>
    public const string FileName = "sweep.json";

    /// <summary>Epochs each seed trained.</summary>
    public int Epochs { get; init; }
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; }
    /// <summary>Device, e.g. <c>cpu</c>.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; }
    /// <summary>The machine it ran on, when known.</summary>
    public string? Machine { get; init; }
    /// <summary>Per problem (<c>"2"</c>, <c>"4"</c>): seeds and summary.</summary>
    public IReadOnlyDictionary<string, ProblemSweep> Problems { get; init; } = new Dictionary<string, ProblemSweep>();
    /// <summary>The assignment's results, for comparison (one run on a GPU).</summary>
    public SweepReference Reference { get; init; } = new();
    /// <summary>When the sweep finished (UTC).</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>Writes <c>sweep.json</c> into <paramref name="directory"/> atomically; returns its path.</summary>
    public string Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, RunResults.JsonOptions));
        return path;
    }

    /// <summary>Reads a <c>sweep.json</c>.</summary>
    public static SweepResults Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<SweepResults>(stream, RunResults.JsonOptions) ?? throw new AutoencoderLabException($"{path}: empty sweep file");
        }
        catch (JsonException e) { throw new AutoencoderLabException($"{path}: not a valid sweep file ({e.Message})", e); }
    }
}
