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

    /// <summary>The names of the <see cref="StepPart"/>s, in their order: "gather", "forward", "backward", "adam".</summary>
    public static IReadOnlyList<string> Parts { get; } = [.. Enum.GetValues<StepPart>().Select(part => part.ToString().ToLowerInvariant())];

    /// <summary>For each epoch run, the seconds spent in each <see cref="StepPart"/> (indexed by it), summed over its steps.</summary>
    public IReadOnlyList<double[]> EpochPartSeconds => epochParts;

    /// <inheritdoc />
    protected override void RunEpoch(int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        epochParts.Add(new double[Parts.Count]);
        base.RunEpoch(epoch, progress, cancellationToken);
    }

    /// <inheritdoc />
    protected override TrainingBatch Gather(int epoch, int batch, long[] positions) => Timed(StepPart.Gather, () => base.Gather(epoch, batch, positions));

    /// <inheritdoc />
    protected override ObjectiveLoss ComputeLoss(TrainingBatch batch) => Timed(StepPart.Forward, () => base.ComputeLoss(batch));

    /// <inheritdoc />
    protected override void Backpropagate(Tensor loss) => Timed(StepPart.Backward, () => { base.Backpropagate(loss); return 0; });

    /// <inheritdoc />
    protected override void UpdateWeights() => Timed(StepPart.Adam, () => { base.UpdateWeights(); return 0; });

    T Timed<T>(StepPart part, Func<T> run)
    {
        long start = Stopwatch.GetTimestamp();
        var result = run();
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        epochParts[^1][(int)part] += Stopwatch.GetElapsedTime(start).TotalSeconds;
        return result;
    }
}
