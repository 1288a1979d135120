using System.Diagnostics;
using System.Text.Json;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// What a notebook holds on to: parameters, data, device, and the helpers its cells call (charts, progress,
/// reuse of earlier notebooks' models, fall-backs when a problem is left blank). One per notebook session.
/// </summary>
public sealed class Lab
{
    readonly MnistDataset? data;
    readonly Device? device;

    Lab(NotebookParameters parameters, MnistDataset? data, Device? device, string? setupFailure = null)
    {
        Parameters = parameters; this.data = data; this.device = device; SetupFailure = setupFailure;
    }

    /// <summary>The notebook's parameters.</summary>
    public NotebookParameters Parameters { get; }
    /// <summary>MNIST on <see cref="Device"/>; throws <see cref="LabSetupException"/> if the setup failed.</summary>
    public MnistDataset Data => data ?? throw new LabSetupException(SetupFailure!);
    /// <summary>Where tensors live; throws <see cref="LabSetupException"/> if the setup failed.</summary>
    public Device Device => device ?? throw new LabSetupException(SetupFailure!);
    /// <summary>Why the setup failed (no data, no device), or null when it worked.</summary>
    public string? SetupFailure { get; }
    /// <summary>Where notebooks keep trained models: ROOT/artifacts/notebooks (quick runs: .../quick).</summary>
    public string Artifacts => Path.Combine(ProjectPaths.Root, "artifacts", "notebooks", Parameters.Quick ? "quick" : "full");

    /// <summary>The shared setup: kernel fix, parameters, device, data (downloaded if missing). Prints a one-line summary.</summary>
    public static Lab Start()
    {
        KernelSetup.Apply();
        NativeEnvironment.Apply();
        var parameters = NotebookParameters.FromEnvironment();
        Device device;
        MnistDataset data;
        try
        {
            device = DeviceChoice.Resolve(parameters.Device);
            var location = MnistLocation.Resolve();
            if (location.Missing().Count > 0)
            {
                Console.WriteLine($"Downloading MNIST into {location.DownloadDirectory} ...");
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
                new MnistDownloader(http).EnsureAsync(location).GetAwaiter().GetResult();
            }
            data = MnistDataset.Load(location, device);
        }
        catch (AutoencoderLabException e)
        {
            // A lab that says why in every later cell, rather than a null `lab` and a NullReferenceException there.
            Console.Error.WriteLine($"Setup failed: {e.Message}");
            return new Lab(parameters, null, null, e.Message);
        }
        Console.WriteLine($"MNIST: {data.TrainImages.shape[0]:N0} training and {data.TestImages.shape[0]:N0} test images on {device.type.ToString().ToLowerInvariant()}; " +
                          $"{parameters.Epochs} epoch(s), seed {parameters.Seed}, t-SNE on {parameters.TsnePoints:N0} points{(parameters.Quick ? " (quick mode)" : "")}.");
        return new Lab(parameters, data, device);
    }

    /// <summary>A chart as self-contained HTML (plotly.js inline, so it shows offline); display it with <c>display(HTML(...))</c>.</summary>
    public static string Chart(Figure figure, int height = 480) => OfflinePage.Fragment(figure, height);

    /// <summary>
    /// A progress reporter that rewrites one line (through <paramref name="show"/>) at most twice a second and at each
    /// epoch's end; in a headless run (where every update becomes an output of its own) at every tenth of the epochs.
    /// </summary>
    public static IProgress<TrainingProgress> Progress(Action<string> show) =>
        new ThrottledProgress(show, NotebookParameters.FromEnvironment().Headless);

    sealed class ThrottledProgress(Action<string> show, bool headless) : IProgress<TrainingProgress>
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        TimeSpan? last;

        public void Report(TrainingProgress p)
        {
            if (headless)
            {
                if (!p.EpochCompleted || (p.Epoch % Math.Max(1, p.Epochs / 10) != 0 && p.Epoch != p.Epochs)) return;
            }
            else if (!p.EpochCompleted && last is { } shown && clock.Elapsed - shown < TimeSpan.FromSeconds(0.5)) return;
            last = clock.Elapsed;
            show($"{p.Objective}: epoch {p.Epoch}/{p.Epochs}, batch {p.Batch}/{p.Batches}, loss {p.Loss:E4}, elapsed {p.Elapsed:hh\\:mm\\:ss}, left {p.Remaining:hh\\:mm\\:ss}");
        }
    }

    /// <summary>
    /// Your code's result, or, when it throws (a problem left blank, a bug), the library's reference with a clear
    /// note, so the cells after it still run and the class can follow along.
    /// </summary>
    public static T OrReference<T>(string problem, Func<T> yours, Func<T> reference)
    {
        try { return yours(); }
        catch (NotImplementedException)
        {
            Console.WriteLine($"[{problem}] not implemented yet: using the library's reference implementation so the walkthrough can go on.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"[{problem}] your code failed ({e.GetType().Name}: {e.Message}); using the library's reference implementation instead.");
        }
        return reference();
    }

    /// <summary>
    /// A fresh model (the library's, or <paramref name="from"/>, e.g. one built from your Problem 1 blocks) initialised as
    /// <c>torch.manual_seed(seed)</c> and the original's layers would be, on the notebook's device.
    /// </summary>
    public AutoEncoder NewModel(AutoEncoder? from = null) => (from ?? new AutoEncoder()).Initialise(Parameters.Seed, Device);

    /// <summary>
    /// Trains <paramref name="model"/> for <see cref="NotebookParameters.Epochs"/> and saves it as <paramref name="name"/>
    /// for later notebooks. An objective that throws on its first batch is replaced by <paramref name="reference"/>, announced.
    /// </summary>
    public TrainingHistory Train(string name, AutoEncoder model, ITrainingObjective objective, ITrainingObjective reference, IProgress<TrainingProgress>? progress = null)
    {
        objective = OrReference(name, () => { Probe(model, objective); return objective; }, () => reference);
        using var trainer = new Trainer(model, objective, Data.TrainImages, Data.TrainLabels,
            new TrainingOptions { Epochs = Parameters.Epochs, Seed = Parameters.Seed });
        var history = trainer.Run(progress);
        Directory.CreateDirectory(Artifacts);
        AtomicFile.WriteVia(Path.Combine(Artifacts, name + ".weights"), path => model.save(path));
        AtomicFile.Write(Path.Combine(Artifacts, name + ".json"), stream => JsonSerializer.Serialize(stream,
            new SavedModel(Parameters.Epochs, Parameters.Seed, history.Total), RunResults.JsonOptions));
        return history;
    }

    void Probe(AutoEncoder model, ITrainingObjective objective)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // 256 images hold every digit, so a contrastive objective meets its class pair and calls all its parts.
        var loss = objective.Loss(model, new TrainingBatch(Data.TrainImages[..256], Data.TrainLabels[..256].cpu().data<long>().ToArray(), 0, 0));
        if (loss.Total.numel() != 1) throw new ArgumentException($"the loss must be a single number, got shape [{string.Join(", ", loss.Total.shape)}]");
    }

    /// <summary>t-SNE of the assignment's subsample in pixel space and in <paramref name="model"/>'s latent space, side by side.</summary>
    public Figure LatentSpaceFigure(AutoEncoder model)
    {
        var maps = Maps();
        using var pixels = maps.Pixels();
        using var codes = maps.Latent(model);
        var (pixelMap, _) = maps.Embed(pixels, Path.Combine(Artifacts, "tsne-pixels.csv"));
        var (latentMap, _) = maps.Embed(codes, Path.Combine(Artifacts, "tsne-latent.csv"));
        return TsneFigures.SideBySide(pixelMap, latentMap, maps.Labels);
    }

    /// <summary>t-SNE of the subsample in the latent space of the contrastive model.</summary>
    public Figure ContrastiveFigure(AutoEncoder model)
    {
        var maps = Maps();
        using var codes = maps.Latent(model);
        var (map, _) = maps.Embed(codes, Path.Combine(Artifacts, "tsne-contrastive.csv"));
        return TsneFigures.Single("tsne-contrastive", "Autoencoder with Contrast Learning", map, maps.Labels);
    }

    LatentMaps Maps()
    {
        Directory.CreateDirectory(Artifacts);
        Console.WriteLine($"t-SNE of {Math.Min(Parameters.TsnePoints, 20_000):N0} training images (every third)...");
        return new LatentMaps(Data, every: 3, limit: Parameters.TsnePoints);
    }

    /// <summary>What a notebook saved with a model: enough to know whether it can be reused.</summary>
    public sealed record SavedModel(int Epochs, long Seed, IReadOnlyList<float> Losses);

    /// <summary>
    /// The model an earlier notebook trained and saved as <paramref name="name"/> (same epochs and seed), or, when there
    /// is none, one trained now with <paramref name="objective"/>: later notebooks never redo work that is saved.
    /// </summary>
    public (AutoEncoder Model, IReadOnlyList<float> Losses) Reuse(string name, Func<ITrainingObjective> objective, IProgress<TrainingProgress>? progress = null)
    {
        var weights = Path.Combine(Artifacts, name + ".weights");
        var meta = Path.Combine(Artifacts, name + ".json");
        var model = NewModel();
        if (File.Exists(weights) && File.Exists(meta)
            && JsonSerializer.Deserialize<SavedModel>(File.ReadAllText(meta), RunResults.JsonOptions) is { } saved
            && saved.Epochs == Parameters.Epochs && saved.Seed == Parameters.Seed)
        {
            model.load(weights);
            Console.WriteLine($"Reusing {name} from {weights} ({saved.Epochs} epochs, seed {saved.Seed}).");
            return (model, saved.Losses);
        }
        Console.WriteLine($"No saved {name} for {Parameters.Epochs} epochs and seed {Parameters.Seed}: training it now.");
        var history = Train(name, model, objective(), objective(), progress);
        return (model, history.Total);
    }
}
