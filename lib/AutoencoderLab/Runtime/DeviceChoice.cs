using TorchSharp;
using DeviceType = TorchSharp.DeviceType;

namespace AutoencoderLab.Runtime;

/// <summary>Turns the user's device word (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a torch device.</summary>
public static class DeviceChoice
{
    /// <summary>The words accepted by <see cref="Resolve(string)"/>.</summary>
    public const string Accepted = "auto, cpu, cuda or cuda:N";

    /// <summary>The default: CUDA when libtorch sees a GPU, else the CPU.</summary>
    public const string Auto = "auto";

    /// <summary>Whether <paramref name="name"/> is one of the <see cref="Accepted"/> words (whether or not this machine has that device).</summary>
    public static bool IsValid(string? name) => Parse(name) is not null;

    /// <summary>Throws <see cref="InvalidSettingsException"/> unless <paramref name="name"/> <see cref="IsValid"/>.</summary>
    public static void Validate(string? name)
    {
        if (!IsValid(name)) throw new InvalidSettingsException("Device", $"'{name}'", $"must be {Accepted}");
    }

    /// <summary>The normalised word (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), or null for anything else.</summary>
    static string? Parse(string? name)
    {
        var word = (name ?? "").Trim().ToLowerInvariant();
        return word is Auto or "cpu" or "cuda" || (word.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(word.AsSpan(5), out var index) && index >= 0)
            ? word : null;
    }

    /// <summary>
    /// Resolves <paramref name="name"/>: <c>auto</c> is CUDA when libtorch sees a GPU, else the CPU.
    /// Asking for CUDA where there is none is an error, never a silent fall-back.
    /// </summary>
    public static torch.Device Resolve(string name) => Resolve(name, torch.cuda.is_available);

    internal static torch.Device Resolve(string name, Func<bool> cudaAvailable)
    {
        Validate(name);
        var word = Parse(name)!;
        if (word == Auto) return cudaAvailable() ? new torch.Device(DeviceType.CUDA) : torch.CPU;
        if (word == "cpu") return torch.CPU;
        if (!cudaAvailable())
            throw new DeviceUnavailableException(
                $"Device '{name}' was asked for, but libtorch sees no CUDA GPU. This build uses the CPU runtime unless it was " +
                "built with -p:TorchBackend=cuda (see README, 'GPU'); use --device cpu or --device auto.");
        return new torch.Device(word);
    }
}
