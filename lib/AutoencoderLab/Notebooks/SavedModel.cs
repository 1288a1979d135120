namespace AutoencoderLab.Notebooks;

/// <summary>What a notebook saves beside a trained model's weights: enough to know whether it can be reused, and to rebuild it.</summary>
/// <param name="Epochs">Epochs it was trained for.</param>
/// <param name="Seed">The seed of its initialisation and batch order.</param>
/// <param name="Losses">Every batch's (total) loss.</param>
/// <param name="Blocks">Its encoder and decoder layers (a student's Problem 1 blocks may differ from the reference).</param>
public sealed record SavedModel(int Epochs, long Seed, IReadOnlyList<float> Losses, Problem1Blocks? Blocks)
{
    /// <summary>The name notebook 02 saves its model under (<c>problem2.weights</c>, <c>problem2.json</c>).</summary>
    public const string Problem2 = "problem2";
    /// <summary>The name notebook 04 saves its model under.</summary>
    public const string Problem4 = "problem4";
}
