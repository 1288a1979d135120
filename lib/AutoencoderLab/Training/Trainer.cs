using System.Diagnostics;
using AutoencoderLab.Models;
using AutoencoderLab.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// Problem 2 (and 4): trains an <see cref="AutoEncoder"/> with Adam over a training set held in
/// memory, reshuffled every epoch, one dispose scope per step, recording every step's loss.
/// The objective decides what a step's loss is. Every epoch's shuffle and every step's own
/// randomness derive from (seed, epoch, batch), so a run resumed from a checkpoint, even one
/// taken mid-epoch, ends bit-identical to an uninterrupted one on the CPU. Steps are small
/// virtual methods so a variant can override one piece.
/// </summary>
public class Trainer : IDisposable
{
    readonly Tensor images;
    readonly long[] labels;
    readonly Stopwatch clock = new();
    readonly FusedAdam adam;
    long stepsTimed; // steps run in this process, for the time estimate

    /// <summary>
    /// Creates a trainer for <paramref name="model"/> on <paramref name="images"/> [N, 784] and <paramref name="labels"/> [N].
    /// With a <paramref name="checkpointPath"/>, the state is saved there every <see cref="TrainingOptions.CheckpointEvery"/>
    /// epochs, at the end, and when the run is cancelled.
    /// </summary>
    public Trainer(AutoEncoder model, ITrainingObjective objective, Tensor images, Tensor labels, TrainingOptions? options = null, string? checkpointPath = null)
    {
        Options = options ?? new TrainingOptions();
        Options.Validate();
        if (images.dim() != 2 || images.shape[1] != AutoEncoder.InputSize)
            throw new ArgumentException($"images must be [N, {AutoEncoder.InputSize}], got [{string.Join(", ", images.shape)}]", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must be [N] with N = {images.shape[0]}, got [{string.Join(", ", labels.shape)}]", nameof(labels));
        Model = model;
        Objective = objective;
        CheckpointPath = checkpointPath;
        this.images = images;
        using (var cpuLabels = labels.to_type(ScalarType.Int64).cpu()) this.labels = cpuLabels.data<long>().ToArray();
        adam = new FusedAdam(model.parameters(), Options.LearningRate, Options.WeightDecay);
        History = new TrainingHistory(objective.PartNames);
    }

    /// <summary>The model being trained.</summary>
    public AutoEncoder Model { get; }
    /// <summary>What each step minimises.</summary>
    public ITrainingObjective Objective { get; }
    /// <summary>The run's hyper-parameters.</summary>
    public TrainingOptions Options { get; }
    /// <summary>The Adam optimiser (its state is part of a checkpoint).</summary>
    public OptimizerHelper Optimizer => adam;
    /// <summary>Where checkpoints go, or null for none.</summary>
    public string? CheckpointPath { get; }
    /// <summary>Everything recorded so far.</summary>
    public TrainingHistory History { get; private set; }
    /// <summary>Whole epochs completed so far.</summary>
    public int CompletedEpochs { get; private set; }
    /// <summary>Batches completed in the epoch after <see cref="CompletedEpochs"/> (non-zero only after an interruption).</summary>
    public int CompletedBatches { get; private set; }
    /// <summary>Batches in one epoch (the last one may be short).</summary>
    public int BatchesPerEpoch => (labels.Length + Options.BatchSize - 1) / Options.BatchSize;
    /// <summary>True once every epoch has been trained.</summary>
    public bool IsComplete => CompletedEpochs >= Options.Epochs;

    /// <summary>
    /// Trains from where the trainer stands up to <see cref="TrainingOptions.Epochs"/>. Cancellation is honoured
    /// between steps: the current step finishes, the state is checkpointed (when there is a checkpoint path) and a
    /// <see cref="TrainingInterruptedException"/> says where. A NaN loss throws <see cref="TrainingDivergedException"/>
    /// and leaves the last checkpoint as it was.
    /// </summary>
    public TrainingHistory Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Model.train();
        try
        {
            while (!IsComplete)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var epochClock = Stopwatch.StartNew();
                clock.Start();
                try { RunEpoch(CompletedEpochs, progress, cancellationToken); }
                finally { clock.Stop(); }
                History.EpochSeconds.Add(epochClock.Elapsed.TotalSeconds);
                CompletedEpochs++;
                CompletedBatches = 0;
                if (CheckpointPath is not null && (IsComplete || (Options.CheckpointEvery > 0 && CompletedEpochs % Options.CheckpointEvery == 0)))
                    SaveCheckpoint(CheckpointPath);
                progress?.Report(Report(CompletedEpochs, BatchesPerEpoch, epochCompleted: true));
            }
        }
        catch (OperationCanceledException) when (CheckpointPath is not null && cancellationToken.IsCancellationRequested)
        {
            SaveCheckpoint(CheckpointPath);
            throw new TrainingInterruptedException(Objective.Name, CompletedEpochs, CompletedBatches, CheckpointPath, cancellationToken);
        }
        finally
        {
            // The allocator keeps freed activations for the next step (see NativeEnvironment); not past the run.
            NativeEnvironment.TrimHeap();
        }
        if (CheckpointPath is not null && !File.Exists(CheckpointPath)) SaveCheckpoint(CheckpointPath); // a run of 0 epochs
        return History;
    }

    /// <summary>One epoch: its shuffle, then every batch not yet done, in order.</summary>
    protected virtual void RunEpoch(int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var order = ShuffledOrder(epoch);
        for (int batch = CompletedBatches; batch * Options.BatchSize < order.Length; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = batch * Options.BatchSize;
            var positions = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
            Step(epoch, batch, positions);
            CompletedBatches = batch + 1;
            progress?.Report(Report(epoch + 1, batch + 1, epochCompleted: false));
        }
    }

    /// <summary>
    /// The sample order of an epoch: PyTorch's <c>DataLoader(shuffle=True)</c> order for a model initialised from the
    /// run's seed (<see cref="AutoEncoder.Initialise"/>), computed from (seed, epoch) alone.
    /// </summary>
    protected virtual long[] ShuffledOrder(int epoch) => new EpochOrder(Options.Seed, Model.ParameterCount).Permutation(epoch, labels.Length);

    /// <summary>
    /// One optimisation step on the samples at <paramref name="positions"/>, in its own dispose scope: <see cref="Gather"/>,
    /// <see cref="ComputeLoss"/>, <see cref="Backpropagate"/>, <see cref="UpdateWeights"/>.
    /// </summary>
    protected virtual void Step(int epoch, int batch, long[] positions)
    {
        using var scope = NewDisposeScope();
        var loss = ComputeLoss(Gather(epoch, batch, positions));
        float total = loss.Total.item<float>();
        if (!float.IsFinite(total)) throw new TrainingDivergedException(Objective.Name, epoch + 1, batch + 1, total);
        Backpropagate(loss.Total);
        UpdateWeights();
        History.Add(total, loss.Parts.Select(p => (p.Name, p.Value.item<float>())));
        stepsTimed++;
    }

    /// <summary>The step's batch: its images gathered from the training set, their labels and the step's own seed.</summary>
    protected virtual TrainingBatch Gather(int epoch, int batch, long[] positions)
    {
        var batchImages = images.index_select(0, tensor(positions, device: images.device));
        var batchLabels = Array.ConvertAll(positions, p => labels[p]);
        var seed = TorchSetup.Derive(Options.Seed, Objective.Name, (long)epoch * BatchesPerEpoch + batch);
        return new TrainingBatch(batchImages, batchLabels, epoch, batch, seed);
    }

    /// <summary>The forward pass: the objective's loss on <paramref name="batch"/>.</summary>
    protected virtual ObjectiveLoss ComputeLoss(TrainingBatch batch) => Objective.Loss(Model, batch);

    /// <summary>
    /// The backward pass: the last gradients dropped, then those of <paramref name="loss"/>. Dropped rather than zeroed
    /// (PyTorch 2's <c>zero_grad()</c>): the backward pass then writes each gradient instead of adding it to zeros, the
    /// same bits without a fill and an add over every parameter per step.
    /// </summary>
    protected virtual void Backpropagate(Tensor loss)
    {
        Model.zero_grad(set_to_none: true);
        loss.backward();
    }

    /// <summary>Adam's step.</summary>
    protected virtual void UpdateWeights() => Optimizer.step();

    /// <summary>Parameter names and shapes: what a checkpoint must match to be loaded into this model.</summary>
    public IReadOnlyList<string> Architecture =>
        Model.named_parameters().Select(p => $"{p.name}:{string.Join('x', p.parameter.shape)}").ToList();

    /// <summary>Saves model, optimiser, position and history to <paramref name="path"/> (atomically).</summary>
    public void SaveCheckpoint(string path)
    {
        using var model = new MemoryStream();
        Model.save(model);
        Checkpoint.Write(path, new Checkpoint.Content(new Checkpoint.Metadata
        {
            Objective = Objective.Name,
            Seed = Options.Seed,
            BatchSize = Options.BatchSize,
            Epochs = Options.Epochs,
            CompletedEpochs = CompletedEpochs,
            CompletedBatches = CompletedBatches,
            Architecture = Architecture,
            Total = History.Total,
            Parts = History.Parts.ToDictionary(p => p.Key, p => p.Value),
            EpochSeconds = History.EpochSeconds,
            BatchOrder = EpochOrder.Name,
        }, model.ToArray(), adam.SaveState()));
    }

    /// <summary>
    /// Restores the state saved by <see cref="SaveCheckpoint"/>. The checkpoint must come from the same objective,
    /// architecture, seed and batch size; otherwise a <see cref="CheckpointException"/> says which differs and
    /// nothing is changed.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        var content = Checkpoint.Read(path);
        var saved = content.Metadata;
        string? mismatch =
            saved.BatchOrder != EpochOrder.Name ? "it was written by an earlier version of aelab that shuffled the epochs differently; start afresh" :
            saved.Objective != Objective.Name ? $"it is a '{saved.Objective}' checkpoint, this run trains '{Objective.Name}'" :
            !saved.Architecture.SequenceEqual(Architecture) ? "it was written for a different model architecture" :
            saved.Seed != Options.Seed ? $"it was written with seed {saved.Seed}, this run uses {Options.Seed}" :
            saved.BatchSize != Options.BatchSize ? $"it was written with batch size {saved.BatchSize}, this run uses {Options.BatchSize}" :
            saved.CompletedEpochs > Options.Epochs ? $"it has {saved.CompletedEpochs} epochs, more than the {Options.Epochs} asked for" :
            saved.Parts.Keys.Order().SequenceEqual(Objective.PartNames.Order()) ? null : "its loss parts differ from this objective's";
        if (mismatch is not null) throw new CheckpointException(path, $"cannot resume from it: {mismatch}");
        try
        {
            ModelState.LoadInPlace(Model, content.Model);
            adam.LoadState(content.Optimizer);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or FormatException)
        {
            throw new CheckpointException(path, $"its tensors do not fit this model ({e.Message})", e);
        }
        var history = new TrainingHistory(Objective.PartNames);
        history.Total.AddRange(saved.Total);
        foreach (var (name, values) in saved.Parts) history.Parts[name].AddRange(values);
        history.EpochSeconds.AddRange(saved.EpochSeconds);
        History = history;
        CompletedEpochs = saved.CompletedEpochs;
        CompletedBatches = saved.CompletedBatches;
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
