using AutoencoderLab.Models;
using static TorchSharp.torch.nn.functional;

namespace AutoencoderLab.Training;

/// <summary>Problem 2: mean squared error between each image and its reconstruction.</summary>
public sealed class ReconstructionObjective : ITrainingObjective
{
    /// <summary>Name of the only loss part.</summary>
    public const string Part = "reconstruction";

    /// <inheritdoc />
    public string Name => "reconstruction";

    /// <inheritdoc />
    public IReadOnlyList<string> PartNames { get; } = [Part];

    /// <inheritdoc />
    public ObjectiveLoss Loss(AutoEncoder model, TrainingBatch batch)
    {
        var mse = mse_loss(model.call(batch.Images), batch.Images);
        return new ObjectiveLoss(mse, [(Part, mse)]);
    }
}
