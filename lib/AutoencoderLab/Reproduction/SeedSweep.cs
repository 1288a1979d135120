using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// Trains Problem 2 (and optionally 4) once per seed and summarises how the final loss, the latent accuracy and the
/// alive bottleneck units spread: one run of the assignment is one draw from that spread. Each seed has a folder
/// (<c>seed-S</c>) with its checkpoint and outcome, so a sweep started again over the same folder skips finished seeds
/// and resumes an interrupted one. sweep.json and sweep.html are rewritten after every seed.
/// </summary>
public sealed class SeedSweep(SweepOptions options)
{
    /// <summary>The offline page with the figure, beside sweep.json.</summary>
    public const string PageName = "sweep.html";

    /// <summary>The sweep's settings.</summary>
    public SweepOptions Options { get; } = options;

    /// <summary>Raised when a phase begins, with a one-line description.</summary>
    public event Action<string>? PhaseStarted;

    /// <summary>Receives training progress (synchronously, on the training thread).</summary>
    public IProgress<TrainingProgress>? TrainingProgress { get; set; }

    /// <summary>The folder of one seed.</summary>
    public static string SeedDirectory(string directory, long seed) => Path.Combine(directory, $"seed-{seed}");

    /// <summary>The outcome file of one seed and problem.</summary>
    public static string OutcomeFile(string directory, long seed, int problem) => Path.Combine(SeedDirectory(directory, seed), $"problem-{problem}.json");

    /// <summary>Runs every seed of every chosen problem on <paramref name="data"/> and writes sweep.json and sweep.html.</summary>
    public SweepResults Run(MnistDataset data, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        Directory.CreateDirectory(Options.OutputDirectory);
        var problems = new List<int>();
        if (Options.Reconstruction) problems.Add(2);
        if (Options.Contrastive) problems.Add(4);
        var outcomes = problems.ToDictionary(p => p, _ => new List<SeedOutcome>());
        SweepResults results = Summarise(data, outcomes);
        foreach (var seed in Options.Seeds)
            foreach (var problem in problems)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcomes[problem].Add(RunSeed(data, seed, problem, cancellationToken));
                results = Summarise(data, outcomes);
                results.Save(Options.OutputDirectory);
                WritePage(results);
            }
        return results;
    }

    /// <summary>One seed of one problem: its finished outcome if the folder holds one for these settings, else trained (resuming its checkpoint).</summary>
    SeedOutcome RunSeed(MnistDataset data, long seed, int problem, CancellationToken cancellationToken)
    {
        var outcomeFile = OutcomeFile(Options.OutputDirectory, seed, problem);
        if (File.Exists(outcomeFile))
        {
            var saved = JsonSerializer.Deserialize<StoredOutcome>(File.ReadAllText(outcomeFile), RunResults.JsonOptions);
            if (saved is not null && saved.Epochs == Options.Epochs && saved.BatchSize == Options.BatchSize)
            {
                PhaseStarted?.Invoke($"Problem {problem}, seed {seed}: already done ({outcomeFile})");
                return saved.Outcome;
            }
        }
        ITrainingObjective objective = problem == 4 ? new ContrastiveObjective() : new ReconstructionObjective();
        var checkpoint = new RunDirectory(SeedDirectory(Options.OutputDirectory, seed)).Checkpoint(objective.Name);
        using var model = AutoEncoder.Seeded(seed, data.Device); // Problem 4 starts where Problem 2 does
        using var trainer = new Trainer(model, objective, data.TrainImages, data.TrainLabels,
            Options.Training(seed), checkpoint);
        if (File.Exists(checkpoint))
        {
            trainer.LoadCheckpoint(checkpoint);
            PhaseStarted?.Invoke($"Problem {problem}, seed {seed}: resuming after epoch {trainer.CompletedEpochs}, batch {trainer.CompletedBatches}");
        }
        else PhaseStarted?.Invoke($"Problem {problem}, seed {seed}: training {Options.Epochs} epochs");
        var history = trainer.Run(TrainingProgress, cancellationToken);

        var health = UnitHealth.Measure(model, data.TrainImages);
        int perEpoch = trainer.BatchesPerEpoch;
        var epochMeans = Enumerable.Range(0, history.Total.Count / perEpoch)
            .Select(e => history.Total.Skip(e * perEpoch).Take(perEpoch).Average(v => (double)v)).ToList();
        var outcome = new SeedOutcome(seed, problem, Options.Epochs, epochMeans[^1], history.Last, Classification.CentroidAccuracy.InLatentSpace(model, data),
            health.Bottleneck.Alive, health, history.EpochSeconds.Sum(), epochMeans);
        AtomicFile.Write(outcomeFile, stream => JsonSerializer.Serialize(stream, new StoredOutcome(Options.Epochs, Options.BatchSize, outcome), RunResults.JsonOptions));
        return outcome;
    }

    SweepResults Summarise(MnistDataset data, Dictionary<int, List<SeedOutcome>> outcomes) => new()
    {
        Epochs = Options.Epochs,
        BatchSize = Options.BatchSize,
        Device = data.Device.type.ToString().ToLowerInvariant(),
        Threads = get_num_threads(),
        Machine = Options.Machine,
        Problems = outcomes.Where(p => p.Value.Count > 0)
            .ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => new ProblemSweep(p.Value.ToList(), SweepSummary.Of(p.Value))),
        Finished = DateTimeOffset.UtcNow,
    };

    /// <summary>sweep.html: per problem, a table of seeds and spread, and every seed's loss curve (mean per epoch).</summary>
    void WritePage(SweepResults results)
    {
        var page = new OfflinePage($"Seed sweep: {results.Epochs} epochs, batch {results.BatchSize}");
        page.Paragraph("The same training once per seed. Each seed gives other initial weights and another batch order (those of the " +
                       "original notebook run with torch.manual_seed(seed)); which bottleneck units die early differs with them, and " +
                       $"the units left alive decide how low the loss goes. The assignment printed one run: last loss {ReferenceResults.FinalReconstructionLoss:E6}, " +
                       $"latent accuracy {ReferenceResults.LatentAccuracy:F2} % (Problem 2), {ReferenceResults.ContrastiveAccuracy:F2} % (Problem 4), after 500 epochs.");
        foreach (var (problem, sweep) in results.Problems)
        {
            page.Heading($"Problem {problem}");
            page.Html(Table(sweep));
            page.Add(LossFigures.Curves($"sweep-loss-{problem}", $"Problem {problem}: mean loss per epoch",
                sweep.Seeds.Select(s => ($"seed {s.Seed}", (IReadOnlyList<float>)s.EpochMeanLosses.Select(v => (float)v).ToList()))));
        }
        page.Save(Path.Combine(Options.OutputDirectory, PageName));
    }

    static string Table(ProblemSweep sweep)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var html = new StringBuilder("<table><tr><th>seed</th><th>last-epoch mean loss</th><th>last batch loss</th><th>latent accuracy (%)</th><th>alive bottleneck units</th><th>seconds</th></tr>");
        foreach (var s in sweep.Seeds)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{s.Seed}</td><td>{F(s.LastEpochMeanLoss, "E4")}</td><td>{F(s.LastBatchLoss, "E4")}</td><td>{F(s.LatentAccuracy, "F2")}</td><td>{s.AliveBottleneckUnits} of {s.Health.Bottleneck.Units}</td><td>{F(s.Seconds, "F0")}</td></tr>");
        var m = sweep.Summary;
        foreach (var (name, pick) in new (string, Func<Spread, double>)[] { ("mean", x => x.Mean), ("standard deviation", x => x.StandardDeviation), ("min", x => x.Min), ("max", x => x.Max) })
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{WebUtility.HtmlEncode(name)}</th><td>{F(pick(m.LastEpochMeanLoss), "E4")}</td><td>{F(pick(m.LastBatchLoss), "E4")}</td><td>{F(pick(m.LatentAccuracy), "F2")}</td><td>{F(pick(m.AliveBottleneckUnits), "F1")}</td><td>{F(pick(m.Seconds), "F0")}</td></tr>");
        return html.Append("</table>").ToString();
    }

    /// <summary>A seed's outcome with the settings it was trained with, so a later sweep with other settings retrains it.</summary>
    sealed record StoredOutcome(int Epochs, int BatchSize, SeedOutcome Outcome);
}
