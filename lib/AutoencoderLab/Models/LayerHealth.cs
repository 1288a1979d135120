namespace AutoencoderLab.Models;

/// <summary>How many units of one ReLU layer fire (output &gt; 0) for at least one image.</summary>
/// <param name="Layer">Where the layer sits, e.g. <c>encoder.relu2</c>.</param>
/// <param name="Units">Its width.</param>
/// <param name="Alive">Units that fire for at least one image; the others are dead: they pass no signal and get no gradient.</param>
public sealed record LayerHealth(string Layer, int Units, int Alive);
