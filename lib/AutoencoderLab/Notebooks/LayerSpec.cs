namespace AutoencoderLab.Notebooks;

/// <summary>One layer of a block: its name in the Sequential and what it is, e.g. <c>("linear1", "Linear(784, 1000)")</c>.</summary>
public sealed record LayerSpec(string Name, string Layer);
