using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoencoderLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// A student's Problem 1 blocks written down, so the next notebooks (each a kernel of its own) can rebuild and train
/// the same model: the layers of the encoder and the decoder, each a Linear(in, out) or a parameter-free activation.
/// </summary>
public sealed partial record Problem1Blocks(IReadOnlyList<LayerSpec> Encoder, IReadOnlyList<LayerSpec> Decoder)
{
    /// <summary>The file a notebook keeps them in, beside its trained models.</summary>
    public const string FileName = "problem1.json";

    static readonly Dictionary<string, Func<Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>>> Activations = new()
    {
        ["ReLU"] = () => ReLU(), ["Sigmoid"] = () => Sigmoid(), ["Tanh"] = () => Tanh(),
        ["LeakyReLU"] = () => LeakyReLU(), ["ELU"] = () => ELU(), ["GELU"] = () => GELU(), ["Identity"] = () => Identity(),
    };

    /// <summary>What a layer is, e.g. <c>Linear(784, 1000)</c>, <c>ReLU</c>; other modules by their type name.</summary>
    public static string Describe(Module layer) => layer switch
    {
        Linear l => $"Linear({l.in_features}, {l.out_features})",
        _ => layer.GetType().Name,
    };

    /// <summary>The layers of a block, in order.</summary>
    public static IReadOnlyList<LayerSpec> Describe(Sequential block) =>
        block.named_children().Select(c => new LayerSpec(c.name, Describe(c.module))).ToList();

    /// <summary>The blocks of <paramref name="encoder"/> and <paramref name="decoder"/>.</summary>
    public static Problem1Blocks Of(Sequential encoder, Sequential decoder) => new(Describe(encoder), Describe(decoder));

    /// <summary>True when every layer can be rebuilt (Linear layers and parameter-free activations).</summary>
    public bool CanBuild => Encoder.Concat(Decoder).All(l => LinearPattern().IsMatch(l.Layer) || Activations.ContainsKey(l.Layer));

    /// <summary>A fresh, untrained model with these blocks.</summary>
    public AutoEncoder Build()
    {
        if (!CanBuild) throw new InvalidOperationException("These blocks hold a layer that cannot be rebuilt from its description.");
        return new AutoEncoder(Block(Encoder), Block(Decoder));
    }

    static Sequential Block(IReadOnlyList<LayerSpec> layers) =>
        Sequential(layers.Select(l => (l.Name, (Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)(LinearPattern().Match(l.Layer) is { Success: true } m
            ? Linear(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : Activations[l.Layer]()))));

    /// <summary>Writes the blocks to <paramref name="path"/>.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this));

    /// <summary>The blocks saved at <paramref name="path"/>, or null when there are none or the file is unreadable.</summary>
    public static Problem1Blocks? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Problem1Blocks>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    /// <summary>One line per block, e.g. <c>encoder: Linear(784, 1000), ReLU, ...</c>.</summary>
    public override string ToString() =>
        $"encoder: {string.Join(", ", Encoder.Select(l => l.Layer))}; decoder: {string.Join(", ", Decoder.Select(l => l.Layer))}";

    [GeneratedRegex(@"^Linear\((\d+), (\d+)\)$")]
    private static partial Regex LinearPattern();
}
