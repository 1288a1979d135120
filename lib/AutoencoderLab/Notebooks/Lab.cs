using System.Text.Json;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// What a notebook holds on to: parameters, data, device, and the helpers its cells call (batches, optimiser,
/// progress, charts, models handed from one notebook to the next, stand-ins when a problem is left blank).
/// One per notebook session, made by the setup cell with <see cref="Start"/>.
/// </summary>
public sealed class Lab
{
    readonly MnistDataset? data;
    readonly Device? device;
    readonly ChartOutput charts;

    Lab(NotebookParameters parameters, MnistDataset? data, Device? device, string? setupFailure = null)
    {
        Parameters = parameters; this.data = data; this.device = device; SetupFailure = setupFailure;
        charts = new ChartOutput(parameters.ChartImages ? ChromiumRenderer.Find() : null, embedPlotly: !parameters.Headless);
    }

    /// <summary>The notebook's parameters.</summary>
    public NotebookParameters Parameters { get; }
    /// <summary>MNIST on <see cref="Device"/>; throws <see cref="LabSetupException"/> if the setup failed.</summary>
    public MnistDataset Data => data ?? throw new LabSetupException(SetupFailure!);
    /// <summary>Where tensors live; throws <see cref="LabSetupException"/> if the setup failed.</summary>
    public Device Device => device ?? throw new LabSetupException(SetupFailure!);
    /// <summary>Why the setup failed (no data, no device), or null when it worked.</summary>
    public string? SetupFailure { get; }
    /// <summary>
    /// Where notebooks keep trained models: $AELAB_NOTEBOOK_ARTIFACTS, else ROOT/artifacts/notebooks/full (quick runs: .../quick).
    /// It may be the output folder of a <c>reproduce</c> run: <see cref="Reuse"/> then takes that run's model when its epochs
    /// and seed are the notebook's, and the notebooks write their own files into its <see cref="NotebookFolder"/>.
    /// </summary>
    public string Artifacts => Parameters.Artifacts ?? Path.Combine(ProjectPaths.Root, "artifacts", "notebooks", Parameters.Quick ? "quick" : "full");

    /// <summary>The subfolder notebooks write into when <see cref="Artifacts"/> holds a reproduce run.</summary>
    public const string NotebookFolder = "notebooks";

    /// <summary>Where this notebook writes: never over a reproduce run's own files.</summary>
    string Cache => File.Exists(ReproduceRun.Settings) ? Path.Combine(Artifacts, NotebookFolder) : Artifacts;

    RunDirectory ReproduceRun => new(Artifacts);

    /// <summary>
    /// The shared setup: kernel fix, parameters (quick mode if <paramref name="quick"/>, unless the environment says
    /// otherwise), device, data (downloaded if missing). Prints a one-line summary.
    /// </summary>
    public static Lab Start(bool quick = false)
    {
        KernelSetup.Apply();
        NativeEnvironment.Apply();
        var parameters = NotebookParameters.FromEnvironment(quick);
        Device device;
        MnistDataset data;
        try
        {
            device = DeviceChoice.Resolve(parameters.Device);
            var location = MnistLocation.Resolve();
            if (location.Missing().Count > 0) Console.WriteLine($"Downloading MNIST into {location.DownloadDirectory} ...");
            data = MnistDataset.Load(location.Ensure(), device);
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

    /// <summary>A chart as a notebook output (a PNG, and the interactive chart where the client runs scripts); show it with <c>display(lab.Chart(figure), "text/html")</c>.</summary>
    public object Chart(Figure figure, int height = 480) => KernelHtml.Of(charts.Html(figure, height));

    /// <summary>The progress line of a training of <see cref="NotebookParameters.Epochs"/> epochs, written through <paramref name="show"/>.</summary>
    public ProgressLine Progress(string what, Action<string> show) => new(what, Parameters.Epochs, show, Parameters.Headless);

    /// <summary>
    /// Your code's result, or, when it throws (a problem left blank, a bug), the library's reference with a clear
    /// note, so the cells after it still run and the class can follow along.
    /// </summary>
    public static T OrReference<T>(string problem, Func<T> yours, Func<T> reference)
    {
        try
        {
            var result = yours();
            lock (substituted) substituted.Remove(problem);
            return result;
        }
        catch (NotImplementedException)
        {
            Console.WriteLine($"[{problem}] not implemented yet: using the library's reference implementation so the walkthrough can go on.");
            Substituted(problem, notImplemented: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not LabSetupException)
        {
            Console.WriteLine($"[{problem}] your code failed ({e.GetType().Name}: {e.Message}); using the library's reference implementation instead.");
            Substituted(problem, notImplemented: false);
        }
        return reference();
    }

    static readonly Dictionary<string, bool> substituted = [];

    static void Substituted(string problem, bool notImplemented)
    {
        lock (substituted) substituted[problem] = notImplemented;
    }

    /// <summary>
    /// Whether the last <see cref="OrReference"/> for <paramref name="problem"/> gave the library's result instead of
    /// yours (a check of that result must not give credit for it): null when it gave yours, true when your code was not
    /// written yet (NotImplementedException), false when it failed.
    /// </summary>
    public static bool? UsedReference(string problem)
    {
        lock (substituted) return substituted.TryGetValue(problem, out var notImplemented) ? notImplemented : null;
    }

    /// <summary>
    /// A fresh model (the library's, or <paramref name="from"/>, e.g. one built from your Problem 1 blocks) initialised as
    /// <c>torch.manual_seed(seed)</c> and the original's layers would be, on the notebook's device.
    /// </summary>
    public AutoEncoder NewModel(AutoEncoder? from = null) => from is null ? AutoEncoder.Seeded(Parameters.Seed, Device) : from.Initialise(Parameters.Seed, Device);

    /// <summary>Adam with the assignment's learning rate and weight decay over <paramref name="model"/>'s parameters (the trainer's <see cref="FusedAdam"/>).</summary>
    public static optim.Optimizer NewOptimizer(AutoEncoder model) =>
        new FusedAdam(model.parameters(), TrainingDefaults.LearningRate, TrainingDefaults.WeightDecay);

    /// <summary>The training set in mini-batches of 1,024, shuffled every epoch as PyTorch's DataLoader would for the seed and <paramref name="model"/>.</summary>
    public ShuffledBatches Batches(AutoEncoder model) =>
        new(Data.TrainImages, Data.TrainLabels, TrainingDefaults.BatchSize, new EpochOrder(Parameters.Seed, model.ParameterCount));

    /// <summary>Keeps your Problem 1 blocks for notebooks 02-04, which train them; says so, or why not.</summary>
    public void SaveProblem1(Func<Sequential> buildEncoder, Func<Sequential> buildDecoder)
    {
        var path = Path.Combine(Cache, Problem1Blocks.FileName);
        try
        {
            var blocks = Problem1Blocks.Of(buildEncoder(), buildDecoder());
            if (!blocks.CanBuild) { Console.WriteLine($"[Problem 1] your blocks hold a layer the next notebooks cannot rebuild ({blocks}); they will train the reference model."); return; }
            Directory.CreateDirectory(Cache);
            blocks.Save(path);
            Console.WriteLine($"Saved your Problem 1 blocks for the next notebooks ({blocks}).");
        }
        catch (NotImplementedException)
        {
            if (File.Exists(path)) File.Delete(path);
            Console.WriteLine("[Problem 1] not implemented yet: the next notebooks will train the library's reference model.");
        }
    }

    /// <summary>Your Problem 1 model as notebook 01 saved it (fresh, seeded), or the library's reference model when there is none, saying which.</summary>
    public AutoEncoder Problem1Model()
    {
        var blocks = Problem1Blocks.Load(Path.Combine(Cache, Problem1Blocks.FileName));
        if (blocks is { CanBuild: true })
        {
            Console.WriteLine($"Your Problem 1 model from 01-autoencoder.ipynb: {blocks}.");
            return NewModel(blocks.Build());
        }
        Console.WriteLine("No Problem 1 model saved by 01-autoencoder.ipynb (not run yet, or left blank): using the library's reference model.");
        return NewModel();
    }

    /// <summary>
    /// Problem 2: trains <paramref name="model"/> with your <paramref name="loop"/> for the notebook's epochs (the
    /// reference loop, announced, when yours throws) and keeps the model for notebooks 03-04. Returns every batch's loss.
    /// </summary>
    public List<float> TrainReconstruction(AutoEncoder model, ReconstructionLoop loop, Action<string> show)
    {
        var losses = OrReference("Problem 2",
            () => { using var optimizer = NewOptimizer(model); return loop(model, optimizer, Batches(model), Parameters.Epochs, Progress("Problem 2", show)); },
            () =>
            {
                model.Initialise(Parameters.Seed, Device); // start again from the seeded weights
                using var optimizer = NewOptimizer(model);
                return ReferenceLoops.Reconstruction(model, optimizer, Batches(model), Parameters.Epochs, Progress("Problem 2 (reference loop)", show));
            });
        Save(SavedModel.Problem2, model, losses);
        return losses;
    }

    /// <summary>Problem 4: as <see cref="TrainReconstruction"/>, with your contrastive <paramref name="loop"/>.</summary>
    public List<(float Total, float Reconstruction, float Contrastive)> TrainContrastive(AutoEncoder model, ContrastiveLoop loop, Action<string> show)
    {
        var losses = OrReference("Problem 4",
            () => { using var optimizer = NewOptimizer(model); return loop(model, optimizer, Batches(model), new ClassPairs(Parameters.Seed), Parameters.Epochs, Progress("Problem 4", show)); },
            () =>
            {
                model.Initialise(Parameters.Seed, Device);
                using var optimizer = NewOptimizer(model);
                return ReferenceLoops.Contrastive(model, optimizer, Batches(model), new ClassPairs(Parameters.Seed), Parameters.Epochs, Progress("Problem 4 (reference loop)", show));
            });
        Save(SavedModel.Problem4, model, losses.Select(l => l.Total).ToList());
        return losses;
    }

    void Save(string name, AutoEncoder model, IReadOnlyList<float> losses)
    {
        Directory.CreateDirectory(Cache);
        AtomicFile.WriteVia(Path.Combine(Cache, SavedModel.WeightsFile(name)), path => model.save(path));
        var saved = new SavedModel(Parameters.Epochs, Parameters.Seed, losses, Problem1Blocks.Of(model.Encoder, model.Decoder));
        AtomicFile.Write(Path.Combine(Cache, SavedModel.RecordFile(name)), stream => JsonSerializer.Serialize(stream, saved, RunResults.JsonOptions));
    }

    /// <summary>
    /// The model an earlier notebook trained and saved as <paramref name="name"/> (<see cref="SavedModel.Problem2"/>) for
    /// these epochs and seed, else the same model of a reproduce run in <see cref="Artifacts"/>, or, when there is none,
    /// the reference model trained now with the reference loop: later notebooks never redo work that is saved.
    /// </summary>
    public (AutoEncoder Model, IReadOnlyList<float> Losses) Reuse(string name, Action<string>? show = null)
    {
        var weights = Path.Combine(Cache, SavedModel.WeightsFile(name));
        var meta = Path.Combine(Cache, SavedModel.RecordFile(name));
        SavedModel? saved = null;
        try { if (File.Exists(meta)) saved = JsonSerializer.Deserialize<SavedModel>(File.ReadAllText(meta), RunResults.JsonOptions); }
        catch (JsonException) { }
        if (saved is not null && File.Exists(weights) && saved.Epochs == Parameters.Epochs && saved.Seed == Parameters.Seed && saved.Blocks is { CanBuild: true })
        {
            var model = NewModel(saved.Blocks.Build());
            model.load(weights);
            Console.WriteLine($"Reusing {name} from {weights} ({saved.Epochs} epoch(s), seed {saved.Seed}; {saved.Blocks}).");
            return (model, saved.Losses);
        }
        if (FromRun(name) is { } reproduced) return reproduced;
        Console.WriteLine($"No saved {name} for {Parameters.Epochs} epoch(s) and seed {Parameters.Seed}: training the reference model with the reference loop now.");
        var fresh = NewModel();
        using var optimizer = NewOptimizer(fresh);
        var losses = ReferenceLoops.Reconstruction(fresh, optimizer, Batches(fresh), Parameters.Epochs, Progress(name, show ?? Console.WriteLine));
        Save(name, fresh, losses);
        return (fresh, losses);
    }

    /// <summary>The model <paramref name="name"/> of the reproduce run in <see cref="Artifacts"/>, if it was trained for these epochs and seed.</summary>
    (AutoEncoder Model, IReadOnlyList<float> Losses)? FromRun(string name)
    {
        var weights = ReproduceRun.PathOf(SavedModel.WeightsFile(name));
        if (!ReproduceRun.HoldsResults || !File.Exists(weights)) return null;
        RunResults results;
        try { results = ReproduceRun.ReadResults(); }
        catch (AutoencoderLabException) { return null; }
        var (epochs, losses) = name switch
        {
            SavedModel.Problem2 => (results.Epochs, results.Losses.Reconstruction),
            SavedModel.Problem4 => (results.ContrastiveEpochs, results.Losses.Contrastive),
            _ => (-1, []),
        };
        if (epochs != Parameters.Epochs || results.Seed != Parameters.Seed || results.BatchSize != TrainingDefaults.BatchSize) return null;
        var model = NewModel();
        model.load(weights);
        Console.WriteLine($"Reusing {name} from the reproduce run in {ReproduceRun.Path} ({epochs} epoch(s), seed {results.Seed}).");
        return (model, losses);
    }

    /// <summary>Alive units of each ReLU layer of <paramref name="model"/> over the training images.</summary>
    public UnitHealth Health(AutoEncoder model) => UnitHealth.Measure(model, Data.TrainImages);

    /// <summary>t-SNE of the assignment's subsample in pixel space and in <paramref name="model"/>'s latent space, side by side.</summary>
    public Figure LatentSpaceFigure(AutoEncoder model)
    {
        var maps = Maps();
        using var pixels = maps.Pixels();
        using var codes = maps.Latent(model);
        var (pixelMap, _) = maps.Embed(pixels, Path.Combine(Cache, RunDirectory.TsneMapFile("pixels")));
        var (latentMap, _) = maps.Embed(codes, Path.Combine(Cache, RunDirectory.TsneMapFile("latent")));
        return TsneFigures.SideBySide(pixelMap, latentMap, maps.Labels);
    }

    /// <summary>t-SNE of the subsample in the latent space of the contrastive model.</summary>
    public Figure ContrastiveFigure(AutoEncoder model)
    {
        var maps = Maps();
        using var codes = maps.Latent(model);
        var (map, _) = maps.Embed(codes, Path.Combine(Cache, RunDirectory.TsneMapFile("contrastive")));
        return TsneFigures.Contrastive(map, maps.Labels);
    }

    LatentMaps Maps()
    {
        Directory.CreateDirectory(Cache);
        var maps = new LatentMaps(Data, limit: Parameters.TsnePoints);
        Console.WriteLine($"t-SNE of {maps.Positions.Length:N0} training images (every third)...");
        return maps;
    }
}
