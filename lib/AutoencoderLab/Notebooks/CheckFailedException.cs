using System.Text.RegularExpressions;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// A notebook check found something to fix; the message says what, and what was expected, in plain words.
/// A check made of parts (<see cref="Checks.Parts"/>) also says how many of its parts passed: its message then ends
/// with a line <c>[{passed} of {total} parts passed]</c>, which a grader reads back with <see cref="PartsIn"/> to give
/// partial credit. This class is the one place that writes and reads that marker.
/// </summary>
public sealed class CheckFailedException : AutoencoderLabException
{
    static readonly Regex MarkerPattern = new(@"\[(\d+) of (\d+) parts passed\]", RegexOptions.CultureInvariant);

    /// <summary>A check failed as a whole (not a multi-part check).</summary>
    public CheckFailedException(string message) : this(message, 0, 0) { }

    /// <summary>
    /// A multi-part check failed with <paramref name="partsPassed"/> of its <paramref name="parts"/> parts passing;
    /// when <paramref name="parts"/> is 0 it is not a multi-part check and the message carries no marker.
    /// </summary>
    public CheckFailedException(string message, int partsPassed, int parts) : base(WithMarker(message, partsPassed, parts))
    {
        PartsPassed = partsPassed;
        Parts = parts;
    }

    /// <summary>How many parts of a multi-part check passed (0 when not a multi-part check).</summary>
    public int PartsPassed { get; }

    /// <summary>How many parts the check has; 0 means it is not a multi-part check.</summary>
    public int Parts { get; }

    /// <summary>The marker line a multi-part check's message ends with: <c>[2 of 3 parts passed]</c>.</summary>
    public static string Marker(int partsPassed, int parts) => $"[{partsPassed} of {parts} parts passed]";

    /// <summary>
    /// The parts passed and in total named by the last marker in <paramref name="text"/> (a message, or a kernel's error
    /// text: exception type, message, stack trace), or null when it holds none.
    /// </summary>
    public static (int Passed, int Total)? PartsIn(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var matches = MarkerPattern.Matches(text);
        for (int i = matches.Count - 1; i >= 0; i--)
            if (int.TryParse(matches[i].Groups[1].ValueSpan, out int passed) && int.TryParse(matches[i].Groups[2].ValueSpan, out int total) &&
                total > 0 && passed <= total)
                return (passed, total);
        return null;
    }

    static string WithMarker(string message, int partsPassed, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        ArgumentOutOfRangeException.ThrowIfNegative(partsPassed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partsPassed, parts);
        if (parts == 0) return message;
        return string.IsNullOrEmpty(message) ? Marker(partsPassed, parts) : $"{message.TrimEnd('\n', '\r')}\n{Marker(partsPassed, parts)}";
    }
}
