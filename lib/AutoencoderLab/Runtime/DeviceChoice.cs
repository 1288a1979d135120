using TorchSharp;
using DeviceType = TorchSharp.DeviceType;

namespace AutoencoderLab.Runtime;

/// <summary>Turns the user's device word (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a torch device.</summary>
public static class DeviceChoice
{
    /// <summary>The words accepted by <see cref="Resolve(string)"/>.</summary>
    public const string Accepted = "auto, cpu, cuda or cuda:N";

    /// <summary>
    /// Resolves <paramref name="name"/>: <c>auto</c> is CUDA when libtorch sees a GPU, else the CPU.
    /// Asking for CUDA where there is none is an error, never a silent fall-back.
    /// </summary>
    public static torch.Device Resolve(string name) => Resolve(name, torch.cuda.is_available);

    internal static torch.Device Resolve(string name, Func<bool> cudaAvailable)
    {
        var word = (name ?? "").Trim().ToLowerInvariant();
        if (word == "auto") return cudaAvailable() ? new torch.Device(DeviceType.CUDA) : torch.CPU;
        if (word == "cpu") return torch.CPU;
        if (word == "cuda" || (word.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(word.AsSpan(5), out var index) && index >= 0))
        {
            if (!cudaAvailable())
                throw new DeviceUnavailableException(
                    $"Device '{name}' was asked for, but libtorch sees no CUDA GPU. This build uses the CPU runtime unless it was " +
                    "built with -p:TorchBackend=cuda (see README, 'GPU'); use --device cpu or --device auto.");
            return new torch.Device(word);
        }
        throw new ArgumentException($"Unknown device '{name}': use {Accepted}.", nameof(name));
    }
}
