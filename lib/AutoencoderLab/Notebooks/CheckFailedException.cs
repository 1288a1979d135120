namespace AutoencoderLab.Notebooks;

/// <summary>A notebook check found something to fix; the message says what, and what was expected, in plain words.</summary>
public sealed class CheckFailedException(string message) : AutoencoderLabException(message);
