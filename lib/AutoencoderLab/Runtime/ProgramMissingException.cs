namespace AutoencoderLab.Runtime;

/// <summary>A <see cref="ChildProcess"/> whose program could not be started (not installed, not on the PATH, not executable).</summary>
public sealed class ProgramMissingException(string program, Exception inner)
    : AutoencoderLabException($"'{program}' could not be started ({inner.Message}): is it installed and on the PATH?", inner)
{
    /// <summary>The program that could not be started.</summary>
    public string Program { get; } = program;
}
