using System.Diagnostics;
using AutoencoderLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// A <see cref="Trainer"/> that also times the parts of its steps, summed per epoch (<c>aelab bench train</c>): where an
/// epoch goes beyond its matrix products (<see cref="EpochFloor"/>). On a GPU each part waits for the device before its
/// clock stops, which slows the run a little; on the CPU the parts are timed as they run.
/// </summary>
public sealed class TimedTrainer : Trainer
{
    readonly Device device;
    readonly List<double[]> epochParts = [];

    /// <summary>A timed trainer; the arguments are <see cref="Trainer"/>'s.</summary>
    public TimedTrainer(AutoEncoder model, ITrainingObjective objective, Tensor images, Tensor labels, TrainingOptions? options = null)
        : base(model, objective, images, labels, options) => device = images.device;

    /// <summary>The parts of a step, in order: the batch's gather, the forward pass (the loss), the backward pass (with zero_grad), Adam's step.</summary>
    public static IReadOnlyList<string> Parts { get; } = ["gather", "forward", "backward", "adam"];

    /// <summary>For each epoch run, the seconds spent in each of <see cref="Parts"/>, summed over its steps.</summary>
    public IReadOnlyList<double[]> EpochPartSeconds => epochParts;

    /// <inheritdoc />
    protected override void RunEpoch(int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        epochParts.Add(new double[Parts.Count]);
        base.RunEpoch(epoch, progress, cancellationToken);
    }

    /// <inheritdoc />
    protected override TrainingBatch Gather(int epoch, int batch, long[] positions) => Timed(0, () => base.Gather(epoch, batch, positions));

    /// <inheritdoc />
    protected override ObjectiveLoss ComputeLoss(TrainingBatch batch) => Timed(1, () => base.ComputeLoss(batch));

    /// <inheritdoc />
    protected override void Backpropagate(Tensor loss) => Timed(2, () => { base.Backpropagate(loss); return 0; });

    /// <inheritdoc />
    protected override void UpdateWeights() => Timed(3, () => { base.UpdateWeights(); return 0; });

    T Timed<T>(int part, Func<T> run)
    {
        long start = Stopwatch.GetTimestamp();
        var result = run();
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        epochParts[^1][part] += Stopwatch.GetElapsedTime(start).TotalSeconds;
        return result;
    }
}
