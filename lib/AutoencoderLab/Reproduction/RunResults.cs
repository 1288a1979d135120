using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// The record of one <c>aelab reproduce</c> run, written as <c>results.json</c> (camelCase keys).
/// </summary>
public sealed record RunResults
{
    /// <summary>Trainable parameters of the model.</summary>
    public long Parameters { get; init; }
    /// <summary>Epochs of Problem 2.</summary>
    public int Epochs { get; init; }
    /// <summary>Epochs of Problem 4.</summary>
    public int ContrastiveEpochs { get; init; }
    /// <summary>The run's seed.</summary>
    public long Seed { get; init; }
    /// <summary>The device used, e.g. <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; }
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; }
    /// <summary>Accuracies in percent.</summary>
    public Accuracies Accuracy { get; init; } = new(0, null, null);
    /// <summary>The assignment's reference accuracies, for comparison.</summary>
    public Accuracies Reference { get; init; } = new(ReferenceResults.OriginalAccuracy, ReferenceResults.LatentAccuracy, ReferenceResults.ContrastiveAccuracy);
    /// <summary>
    /// Alive units of every ReLU layer of each trained model (<c>reconstruction</c>, <c>contrastive</c>), measured on the
    /// training images: a unit is alive when it fires for at least one. Absent in results of earlier versions.
    /// </summary>
    public IReadOnlyDictionary<string, Models.UnitHealth>? UnitHealth { get; init; }
    /// <summary>Median seconds per epoch.</summary>
    public EpochTimings SecondsPerEpoch { get; init; } = new(null, null);
    /// <summary>Per-batch losses.</summary>
    public LossCurves Losses { get; init; } = new([], []);
    /// <summary>t-SNE maps by space (<c>pixels</c>, <c>latent</c>, <c>contrastive</c>), absent with --no-tsne.</summary>
    public IReadOnlyDictionary<string, TsneSummary>? Tsne { get; init; }
    /// <summary>md5 of each data file used.</summary>
    public IReadOnlyDictionary<string, string> DataChecksums { get; init; } = new Dictionary<string, string>();
    /// <summary>Files written beside results.json (TorchSharp weights, PyTorch state dicts), relative to its directory.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    /// <summary>When the run finished (UTC).</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>JSON settings of results.json.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <c>results.json</c> into <paramref name="directory"/> atomically; returns its path.</summary>
    public string Save(string directory)
    {
        var path = new RunDirectory(directory).Results;
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, JsonOptions));
        return path;
    }

    /// <summary>Reads a <c>results.json</c>.</summary>
    public static RunResults Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<RunResults>(stream, JsonOptions) ?? throw new AutoencoderLabException($"{path}: empty results file");
        }
        catch (JsonException e) { throw new AutoencoderLabException($"{path}: not a valid results file ({e.Message})", e); }
    }
}
