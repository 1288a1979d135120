using AutoencoderLab.Models;

namespace AutoencoderLab.Training;

/// <summary>
/// What a training step minimises. Problems 2 and 4 differ only here: the trainer shuffles,
/// batches, steps, records and reports; the objective turns a batch into a loss.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Short name used in progress reports and results (e.g. <c>reconstruction</c>).</summary>
    string Name { get; }

    /// <summary>Names of the loss parts, in the order <see cref="Loss"/> returns them.</summary>
    IReadOnlyList<string> PartNames { get; }

    /// <summary>The loss of one batch (tensors are disposed by the trainer's per-step scope).</summary>
    ObjectiveLoss Loss(AutoEncoder model, TrainingBatch batch);
}
