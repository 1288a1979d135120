using System.Globalization;

namespace AutoencoderLab;

/// <summary>
/// A setting no run can use (an option, a parameter, an environment variable): a user error, reported with its message.
/// <see cref="Setting"/> and <see cref="Rule"/> let a front end name the setting its own way (a CLI option, say).
/// </summary>
public sealed class InvalidSettingsException : AutoencoderLabException
{
    /// <summary>A setting that breaks <paramref name="rule"/>: "<c>Setting rule, not value.</c>".</summary>
    public InvalidSettingsException(string setting, object? value, string rule)
        : base(string.Create(CultureInfo.InvariantCulture, $"{setting} {rule}, not {value}."))
    {
        Setting = setting; Value = value; Rule = rule;
    }

    /// <summary>A setting whose problem takes a message of its own.</summary>
    public InvalidSettingsException(string message) : base(message) { }

    /// <summary>The setting's name (a property such as <c>BatchSize</c>), or null when the message says it all.</summary>
    public string? Setting { get; }
    /// <summary>The value given.</summary>
    public object? Value { get; }
    /// <summary>What the value must be, e.g. "must be at least 1".</summary>
    public string? Rule { get; }

    /// <summary>The message with the setting called <paramref name="name"/> (e.g. <c>--batch-size</c>).</summary>
    public string MessageNaming(string name) =>
        Setting is null ? Message : string.Create(CultureInfo.InvariantCulture, $"{name} {Rule}, not {Value}.");

    /// <summary>Throws for <paramref name="value"/> below <paramref name="minimum"/>: the one wording of every lower bound.</summary>
    public static void ThrowIfBelow(string setting, long value, long minimum)
    {
        if (value < minimum) throw new InvalidSettingsException(setting, value, minimum == 0 ? "must be 0 or more" : $"must be at least {minimum}");
    }
}
