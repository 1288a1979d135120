namespace AutoencoderLab.Data;

/// <summary>A data file exists but cannot be used: truncated, corrupt, wrong format or wrong checksum.</summary>
public sealed class DataFileException : AutoencoderLabException
{
    /// <summary>Creates the exception for <paramref name="path"/> with what is wrong with it.</summary>
    public DataFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner ?? new InvalidDataException(problem))
    {
        Path = path;
    }

    /// <summary>The file at fault.</summary>
    public string Path { get; }
}
