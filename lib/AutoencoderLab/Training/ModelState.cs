using TorchSharp;

namespace AutoencoderLab.Training;

/// <summary>
/// Loads weights saved by <c>Module.save</c> into a model's own tensors. <c>Module.load</c> on a CUDA model moves it to
/// the CPU and back, which makes new Parameter objects; an optimiser built before it holds the old ones, so its state
/// would no longer follow the model (TorchSharp issue 1455). Loading tensor by tensor in place keeps every Parameter.
/// </summary>
public static class ModelState
{
    /// <summary>Copies the weights in <paramref name="saved"/> (TorchSharp format) into <paramref name="model"/>'s tensors, in place.</summary>
    public static void LoadInPlace(torch.nn.Module model, byte[] saved)
    {
        var tensors = model.state_dict();
        using var reader = new BinaryReader(new MemoryStream(saved));
        long entries = ReadLength(reader);
        if (entries != tensors.Count)
            throw new ArgumentException($"the saved state has {entries} tensors, the model {tensors.Count}");
        for (long i = 0; i < entries; i++)
        {
            var key = reader.ReadString();
            if (!tensors.TryGetValue(key, out var tensor)) throw new ArgumentException($"the model has no tensor named '{key}'");
            tensor.Load(reader); // copies into the tensor where it lives (through a CPU buffer on a GPU)
        }
    }

    // The LEB128 length TorchSharp writes before the entries.
    static long ReadLength(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("malformed length");
    }
}
