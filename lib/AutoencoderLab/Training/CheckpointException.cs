namespace AutoencoderLab.Training;

/// <summary>A checkpoint cannot be used: truncated, corrupt, or written for another model or run.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : AutoencoderLabException($"{path}: {problem}", inner ?? new InvalidDataException(problem))
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;
}
