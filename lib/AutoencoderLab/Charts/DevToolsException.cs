namespace AutoencoderLab.Charts;

/// <summary>The DevTools browser failed, refused a command or ran out of time.</summary>
internal sealed class DevToolsException(string message) : Exception(message);
