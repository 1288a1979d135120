using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Models;

/// <summary>
/// Alive units of every ReLU layer of an autoencoder over a set of images. A ReLU unit that outputs 0 for every
/// training image is dead for good (its gradient is 0 too). Which of the 25 bottleneck units die early in training
/// differs from seed to seed, and the units left alive decide how low the loss can go: the main reason two runs of
/// the same assignment end at different losses.
/// </summary>
public sealed record UnitHealth(IReadOnlyList<LayerHealth> Layers)
{
    /// <summary>The encoder's narrowest ReLU layer: the 25-wide bottleneck in the assignment's model.</summary>
    public LayerHealth Bottleneck => Layers.Where(l => l.Layer.StartsWith("encoder.", StringComparison.Ordinal)).MinBy(l => l.Units)
        ?? throw new InvalidOperationException("The encoder has no ReLU layer.");

    /// <summary>Runs <paramref name="images"/> [N, 784] through <paramref name="model"/> in batches and counts, per ReLU layer, the units that fire.</summary>
    public static UnitHealth Measure(AutoEncoder model, Tensor images, int batchSize = 4096)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var fired = new Dictionary<string, Tensor>();
        var order = new List<string>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var step = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start));
            foreach (var (blockName, block) in new[] { ("encoder", model.Encoder), ("decoder", model.Decoder) })
                foreach (var (name, layer) in block.named_children())
                {
                    x = ((TorchSharp.torch.nn.Module<Tensor, Tensor>)layer).call(x);
                    if (layer is not ReLU) continue;
                    var key = $"{blockName}.{name}";
                    var any = (x > 0).any(0);
                    if (fired.TryGetValue(key, out var seen)) fired[key] = (seen | any).MoveToOuterDisposeScope();
                    else { fired[key] = any.MoveToOuterDisposeScope(); order.Add(key); }
                }
        }
        return new UnitHealth(order.Select(k => new LayerHealth(k, (int)fired[k].shape[0], (int)fired[k].sum().item<long>())).ToList());
    }

    /// <summary>E.g. <c>bottleneck 13 of 25 units alive; encoder.relu1 998/1000, ...</c>.</summary>
    public override string ToString() =>
        $"bottleneck: {Bottleneck.Alive} of {Bottleneck.Units} units alive; " + string.Join(", ", Layers.Select(l => $"{l.Layer} {l.Alive}/{l.Units}"));
}
