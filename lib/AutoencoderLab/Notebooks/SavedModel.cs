using AutoencoderLab.Reproduction;

namespace AutoencoderLab.Notebooks;

/// <summary>What a notebook saves beside a trained model's weights: enough to know whether it can be reused, and to rebuild it.</summary>
/// <param name="Epochs">Epochs it was trained for.</param>
/// <param name="Seed">The seed of its initialisation and batch order.</param>
/// <param name="Losses">Every batch's (total) loss.</param>
/// <param name="Blocks">Its encoder and decoder layers (a student's Problem 1 blocks may differ from the reference).</param>
public sealed record SavedModel(int Epochs, long Seed, IReadOnlyList<float> Losses, Problem1Blocks? Blocks)
{
    /// <summary>
    /// The name notebook 02 saves its model under: a reproduce run's name for the Problem 2 model
    /// (<c>autoencoder.weights</c>, and this record as <c>autoencoder.json</c>), so either can read the other's.
    /// </summary>
    public const string Problem2 = RunDirectory.ReconstructionModel;
    /// <summary>The name notebook 04 saves its model under (a reproduce run's name for the Problem 4 model).</summary>
    public const string Problem4 = RunDirectory.ContrastiveModel;

    /// <summary>The weights file of the model saved as <paramref name="name"/>.</summary>
    public static string WeightsFile(string name) => name + RunDirectory.WeightsExtension;
    /// <summary>The file of this record for the model saved as <paramref name="name"/>.</summary>
    public static string RecordFile(string name) => name + ".json";
}
