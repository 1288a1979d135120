using System.Diagnostics;
using AutoencoderLab.Models;
using AutoencoderLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// Problem 2 (and 4): trains an <see cref="AutoEncoder"/> with Adam over a training set held in
/// memory, reshuffled every epoch, one dispose scope per step, recording every step's loss.
/// The objective decides what a step's loss is. Each epoch's shuffle and the objective's
/// randomness are derived from (seed, epoch), so any epoch can be replayed exactly: same seed,
/// same losses. Steps are small virtual methods so a variant can override one piece.
/// </summary>
public class Trainer : IDisposable
{
    readonly Tensor images;
    readonly long[] labels;
    readonly Stopwatch clock = new();
    long stepsTimed; // steps run in this process, for the time estimate

    /// <summary>Creates a trainer for <paramref name="model"/> on <paramref name="images"/> [N, 784] and <paramref name="labels"/> [N].</summary>
    public Trainer(AutoEncoder model, ITrainingObjective objective, Tensor images, Tensor labels, TrainingOptions? options = null)
    {
        Options = options ?? new TrainingOptions();
        Options.Validate();
        if (images.dim() != 2 || images.shape[1] != AutoEncoder.InputSize)
            throw new ArgumentException($"images must be [N, {AutoEncoder.InputSize}], got [{string.Join(", ", images.shape)}]", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must be [N] with N = {images.shape[0]}, got [{string.Join(", ", labels.shape)}]", nameof(labels));
        Model = model;
        Objective = objective;
        this.images = images;
        using (var cpuLabels = labels.to_type(ScalarType.Int64).cpu()) this.labels = cpuLabels.data<long>().ToArray();
        Optimizer = optim.Adam(model.parameters(), lr: Options.LearningRate, weight_decay: Options.WeightDecay);
        History = new TrainingHistory(objective.PartNames);
    }

    /// <summary>The model being trained.</summary>
    public AutoEncoder Model { get; }
    /// <summary>What each step minimises.</summary>
    public ITrainingObjective Objective { get; }
    /// <summary>The run's hyper-parameters.</summary>
    public TrainingOptions Options { get; }
    /// <summary>The Adam optimiser (its state is part of a checkpoint).</summary>
    public optim.Optimizer Optimizer { get; }
    /// <summary>Everything recorded so far.</summary>
    public TrainingHistory History { get; private set; }
    /// <summary>Epochs completed so far (a resumed run starts from a checkpoint's count).</summary>
    public int CompletedEpochs { get; protected set; }
    /// <summary>Batches in one epoch (the last one may be short).</summary>
    public int BatchesPerEpoch => (int)((labels.Length + Options.BatchSize - 1) / Options.BatchSize);

    /// <summary>
    /// Trains from <see cref="CompletedEpochs"/> up to <see cref="TrainingOptions.Epochs"/>. Cancellation is
    /// honoured between steps: the current step finishes, the epoch count stays that of whole epochs.
    /// </summary>
    public TrainingHistory Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Model.train();
        while (CompletedEpochs < Options.Epochs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epochClock = Stopwatch.StartNew();
            clock.Start();
            try { RunEpoch(CompletedEpochs, progress, cancellationToken); }
            finally { clock.Stop(); }
            History.EpochSeconds.Add(epochClock.Elapsed.TotalSeconds);
            CompletedEpochs++;
            // glibc keeps freed tensor memory in its arenas; hand it back once an epoch.
            NativeEnvironment.TrimHeap();
            progress?.Report(Report(Options.Epochs == 0 ? 0 : CompletedEpochs, BatchesPerEpoch, epochCompleted: true));
        }
        return History;
    }

    /// <summary>One epoch: a fresh shuffle, then every batch in order.</summary>
    protected virtual void RunEpoch(int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Objective.BeginEpoch(epoch, TorchSetup.Derive(Options.Seed, Objective.Name, epoch));
        var order = ShuffledOrder(epoch);
        for (int batch = 0, start = 0; start < order.Length; batch++, start += Options.BatchSize)
        {
            if (batch > 0) cancellationToken.ThrowIfCancellationRequested();
            var positions = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
            Step(epoch, batch, positions);
            progress?.Report(Report(epoch + 1, batch + 1, epochCompleted: false));
        }
    }

    /// <summary>The sample order of an epoch: a permutation drawn from a generator seeded by (seed, epoch).</summary>
    protected virtual long[] ShuffledOrder(int epoch)
    {
        using var generator = new Generator((ulong)TorchSetup.Derive(Options.Seed, "shuffle", epoch));
        using var permutation = randperm(labels.Length, generator: generator);
        return permutation.data<long>().ToArray();
    }

    /// <summary>One optimisation step on the samples at <paramref name="positions"/>, in its own dispose scope.</summary>
    protected virtual void Step(int epoch, int batch, long[] positions)
    {
        using var scope = NewDisposeScope();
        var batchImages = images.index_select(0, tensor(positions, device: images.device));
        var batchLabels = Array.ConvertAll(positions, p => labels[p]);
        var loss = Objective.Loss(Model, new TrainingBatch(batchImages, batchLabels, epoch, batch));
        float total = loss.Total.item<float>();
        if (!float.IsFinite(total)) throw new TrainingDivergedException(Objective.Name, epoch + 1, batch + 1, total);
        Optimizer.zero_grad();
        loss.Total.backward();
        Optimizer.step();
        History.Add(total, loss.Parts.Select(p => (p.Name, p.Value.item<float>())));
        stepsTimed++;
    }

    /// <summary>Replaces the recorded history and epoch count, e.g. from a checkpoint.</summary>
    protected void Restore(TrainingHistory history, int completedEpochs)
    {
        History = history;
        CompletedEpochs = completedEpochs;
    }

    TrainingProgress Report(int epoch, int batch, bool epochCompleted)
    {
        var elapsed = clock.Elapsed;
        long stepsLeft = (long)(Options.Epochs - CompletedEpochs) * BatchesPerEpoch - (epochCompleted ? 0 : batch);
        var remaining = stepsTimed > 0 ? TimeSpan.FromTicks(elapsed.Ticks / stepsTimed * Math.Max(0, stepsLeft)) : TimeSpan.Zero;
        return new TrainingProgress(Objective.Name, epoch, Options.Epochs, batch, BatchesPerEpoch, History.Last, elapsed, remaining, epochCompleted);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        GC.SuppressFinalize(this);
    }
}
