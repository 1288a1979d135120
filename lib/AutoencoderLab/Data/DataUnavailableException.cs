namespace AutoencoderLab.Data;

/// <summary>The data set is not on disk and could not be downloaded.</summary>
public sealed class DataUnavailableException(string message, Exception? inner = null)
    : AutoencoderLabException(message, inner ?? new FileNotFoundException(message));
