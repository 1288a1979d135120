namespace AutoencoderLab.Grading;

/// <summary>The gradebook's spelling of <see cref="GradeStatus"/>.</summary>
public static class GradeStatusText
{
    /// <summary>ok, timeout, error, tampered, missing or invalid notebook.</summary>
    public static string Of(GradeStatus status) => status switch
    {
        GradeStatus.Ok => "ok",
        GradeStatus.Timeout => "timeout",
        GradeStatus.Error => "error",
        GradeStatus.Tampered => "tampered",
        GradeStatus.Missing => "missing",
        GradeStatus.InvalidNotebook => "invalid notebook",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The status a gradebook row spells <paramref name="text"/>.</summary>
    public static GradeStatus Parse(string text) =>
        Enum.GetValues<GradeStatus>().FirstOrDefault(s => Of(s) == text, (GradeStatus)(-1)) is var s && Enum.IsDefined(s)
            ? s
            : throw new FormatException($"'{text}' is not a grading status (ok, timeout, error, tampered, missing, invalid notebook).");
}
