using System.Text.Json;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// The output folder of one <c>reproduce</c> run: the one home of every file name in it, and of the rules that guard it
/// (never start over an earlier run unless told to, record the settings for <c>--resume</c>, read them back).
/// The notebooks name their saved models the same way, so a notebook can read a run's model.
/// </summary>
public sealed class RunDirectory(string path)
{
    /// <summary>The run's record (<see cref="RunResults"/>).</summary>
    public const string ResultsFile = "results.json";
    /// <summary>The run's settings (<see cref="ReproduceOptions"/>), written first, read by <c>--resume</c>.</summary>
    public const string SettingsFile = "run.json";
    /// <summary>The page with every figure (<see cref="RunReport"/>).</summary>
    public const string ReportFile = "report.html";
    /// <summary>Folder of the figure pages and their PNG copies.</summary>
    public const string FiguresFolder = "figures";
    /// <summary>Folder of the training checkpoints, one per objective.</summary>
    public const string CheckpointsFolder = "checkpoints";

    /// <summary>Name (without extension) of the Problem 2 model's files.</summary>
    public const string ReconstructionModel = "autoencoder";
    /// <summary>Name (without extension) of the Problem 4 model's files.</summary>
    public const string ContrastiveModel = "autoencoder-contrastive";
    /// <summary>Extension of weights in TorchSharp's format.</summary>
    public const string WeightsExtension = ".weights";
    /// <summary>Extension of a PyTorch state dict with the original's key names (<see cref="Models.PyTorchWeights"/>).</summary>
    public const string PyTorchExtension = ".pt";
    /// <summary>The Problem 2 model's weights.</summary>
    public const string ReconstructionWeights = ReconstructionModel + WeightsExtension;
    /// <summary>The Problem 4 model's weights.</summary>
    public const string ContrastiveWeights = ContrastiveModel + WeightsExtension;
    /// <summary>The Problem 2 model as a PyTorch state dict.</summary>
    public const string ReconstructionPyTorchWeights = ReconstructionModel + PyTorchExtension;
    /// <summary>The Problem 4 model as a PyTorch state dict.</summary>
    public const string ContrastivePyTorchWeights = ContrastiveModel + PyTorchExtension;

    /// <summary>The t-SNE map (x, y, label CSV) of <paramref name="space"/> (<c>pixels</c>, <c>latent</c>, <c>contrastive</c>).</summary>
    public static string TsneMapFile(string space) => $"tsne-{space}.csv";

    /// <summary>The folder.</summary>
    public string Path { get; } = path;
    /// <summary>Path of <see cref="ResultsFile"/>.</summary>
    public string Results => PathOf(ResultsFile);
    /// <summary>Path of <see cref="SettingsFile"/>.</summary>
    public string Settings => PathOf(SettingsFile);
    /// <summary>Path of <see cref="ReportFile"/>.</summary>
    public string Report => PathOf(ReportFile);
    /// <summary>Path of <see cref="FiguresFolder"/>.</summary>
    public string Figures => PathOf(FiguresFolder);
    /// <summary>True when a run finished here (it wrote <see cref="ResultsFile"/>).</summary>
    public bool HoldsResults => File.Exists(Results);

    /// <summary>Path of <paramref name="name"/>, a file of the folder.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);
    /// <summary>Where the checkpoint of the training with <paramref name="objective"/> (its name) lives.</summary>
    public string Checkpoint(string objective) => System.IO.Path.Combine(Path, CheckpointsFolder, objective + ".ckpt");
    /// <summary>Path of the t-SNE map of <paramref name="space"/>.</summary>
    public string TsneMap(string space) => PathOf(TsneMapFile(space));
    /// <summary>Path of the offline figure page <paramref name="name"/> (without <c>.html</c>).</summary>
    public string FigurePage(string name) => System.IO.Path.Combine(Figures, name + ".html");

    /// <summary>
    /// Makes the folder ready for a fresh run with <paramref name="options"/>: refuses an earlier run unless
    /// <see cref="ReproduceOptions.Overwrite"/> (then its checkpoints go), and records the settings.
    /// </summary>
    public void Start(ReproduceOptions options)
    {
        if (File.Exists(Settings) && !options.Overwrite)
            throw new AutoencoderLabException(
                $"{Path} holds an earlier run. Continue it with --resume {Path}, start afresh over it with --overwrite, or choose another --out.");
        var checkpoints = System.IO.Path.Combine(Path, CheckpointsFolder);
        if (options.Overwrite && Directory.Exists(checkpoints))
            foreach (var checkpoint in Directory.GetFiles(checkpoints, "*.ckpt")) File.Delete(checkpoint);
        Directory.CreateDirectory(Path);
        AtomicFile.Write(Settings, stream => JsonSerializer.Serialize(stream, options, RunResults.JsonOptions));
    }

    /// <summary>The settings recorded by the run to resume here (output folder this one, <see cref="ReproduceOptions.Resume"/> set).</summary>
    public ReproduceOptions ReadSettings()
    {
        if (!File.Exists(Settings))
            throw new AutoencoderLabException($"{Path} holds no run to resume (no {SettingsFile}); start one with 'reproduce --out {Path}'.");
        ReproduceOptions? saved;
        try { saved = JsonSerializer.Deserialize<ReproduceOptions>(File.ReadAllText(Settings), RunResults.JsonOptions); }
        catch (JsonException e) { throw new AutoencoderLabException($"{Settings}: not a valid run settings file ({e.Message})", e); }
        if (saved is null) throw new AutoencoderLabException($"{Settings}: empty run settings file");
        return saved with { OutputDirectory = System.IO.Path.GetFullPath(Path), Resume = true };
    }

    /// <summary>The record of the run that finished here; throws when there is none.</summary>
    public RunResults ReadResults() =>
        HoldsResults ? RunResults.Load(Results) : throw new AutoencoderLabException($"{Path} holds no finished run (no {ResultsFile}).");
}
