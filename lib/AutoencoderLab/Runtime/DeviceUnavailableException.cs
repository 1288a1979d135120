namespace AutoencoderLab.Runtime;

/// <summary>The requested device does not exist on this machine or in this build.</summary>
public sealed class DeviceUnavailableException(string message) : AutoencoderLabException(message);
