using System.Collections;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AutoencoderLab.Models;

/// <summary>
/// An <see cref="AutoEncoder"/>'s weights as a PyTorch state dict (<c>torch.save(model.state_dict())</c> format, a
/// <c>.pt</c> file) with the original notebook's key names: <c>encoder.0.weight</c>, <c>encoder.0.bias</c>,
/// <c>encoder.2.weight</c>, ..., <c>decoder.1.weight</c>, <c>decoder.3.bias</c>. The number is the layer's position
/// in its <c>nn.Sequential</c>, as PyTorch names unnamed children, so <c>model.load_state_dict(torch.load(path))</c>
/// works on the original's <c>AutoEncoder</c> class, and weights trained by the original notebook load here.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>The PyTorch key of every parameter of <paramref name="model"/>, in state-dict order.</summary>
    public static IReadOnlyList<(string Key, Parameter Parameter)> Parameters(AutoEncoder model)
    {
        var result = new List<(string, Parameter)>();
        foreach (var (block, sequential) in new[] { ("encoder", model.Encoder), ("decoder", model.Decoder) })
        {
            int position = 0;
            foreach (var (_, child) in sequential.named_children())
            {
                // PyTorch names a Sequential's children by position; ours carry names (linear1, relu1...) instead.
                foreach (var (name, parameter) in child.named_parameters())
                    result.Add(($"{block}.{position}.{name}", parameter));
                position++;
            }
        }
        return result;
    }

    /// <summary>Writes <paramref name="model"/>'s weights to <paramref name="path"/> as a PyTorch state dict.</summary>
    public static void Save(AutoEncoder model, string path)
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        foreach (var (key, parameter) in Parameters(model)) state[key] = parameter.detach().cpu().contiguous();
        PyTorchPickler.PickleStateDict(path, state);
    }

    /// <summary>
    /// Copies the weights of the PyTorch state dict at <paramref name="path"/> into <paramref name="model"/>'s own
    /// tensors (in place, on the model's device, so an optimiser built on the model keeps following it). The file
    /// must hold exactly the model's keys with the model's shapes; otherwise an <see cref="AutoencoderLabException"/>
    /// names what is missing, extra or misshapen, and the model is left unchanged.
    /// </summary>
    public static void Load(AutoEncoder model, string path)
    {
        if (!File.Exists(path)) throw new AutoencoderLabException($"{path}: no such PyTorch weights file");
        Hashtable loaded;
        try { loaded = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new AutoencoderLabException($"{path}: not a PyTorch state dict saved with torch.save ({e.Message})", e);
        }
        var tensors = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in loaded)
            if (entry.Value is Tensor t) tensors[(string)entry.Key] = t;
        try
        {
            var expected = Parameters(model);
            var problems = new List<string>();
            var missing = expected.Select(p => p.Key).Where(k => !tensors.ContainsKey(k)).ToList();
            var extra = loaded.Keys.Cast<object>().Select(k => k.ToString()!).Where(k => expected.All(p => p.Key != k)).Order().ToList();
            if (missing.Count > 0) problems.Add($"missing {string.Join(", ", missing)}");
            if (extra.Count > 0) problems.Add($"unexpected {string.Join(", ", extra)}");
            foreach (var (key, parameter) in expected)
                if (tensors.TryGetValue(key, out var t) && !t.shape.SequenceEqual(parameter.shape))
                    problems.Add($"{key} is [{string.Join(", ", t.shape)}], the model's is [{string.Join(", ", parameter.shape)}]");
            if (problems.Count > 0)
                throw new AutoencoderLabException(
                    $"{path} does not fit the assignment's AutoEncoder ({string.Join("; ", problems)}). " +
                    "Expected the original's state dict keys: " + string.Join(", ", expected.Select(p => p.Key)) + ".");
            using var noGrad = no_grad();
            foreach (var (key, parameter) in expected) parameter.copy_(tensors[key]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
