namespace AutoencoderLab;

/// <summary>
/// Base of every error the library reports on purpose: bad data files, missing data,
/// an unavailable device, a diverged run. Front ends show <see cref="Exception.Message"/>
/// as is; anything else escaping the library is a bug.
/// </summary>
public class AutoencoderLabException : Exception
{
    /// <summary>Creates the exception with a message meant for the user.</summary>
    public AutoencoderLabException(string message) : base(message) { }

    /// <summary>Creates the exception with a message meant for the user and its cause.</summary>
    public AutoencoderLabException(string message, Exception inner) : base(message, inner) { }
}
