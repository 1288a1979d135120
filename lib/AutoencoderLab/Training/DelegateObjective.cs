using AutoencoderLab.Models;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>An objective given as a function of (model, images): e.g. a student's reconstruction loss in a notebook.</summary>
public sealed class DelegateObjective(string name, Func<AutoEncoder, Tensor, Tensor> loss) : ITrainingObjective
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public IReadOnlyList<string> PartNames { get; } = [name];

    /// <inheritdoc />
    public ObjectiveLoss Loss(AutoEncoder model, TrainingBatch batch)
    {
        var value = loss(model, batch.Images);
        return new ObjectiveLoss(value, [(name, value)]);
    }
}
