namespace AutoencoderLab.Grading;

/// <summary>How the grading of one submitted notebook ended (the gradebook's <c>status</c> column).</summary>
public enum GradeStatus
{
    /// <summary>Executed to the end; points as the checks gave them (a failing check is still ok: it is the student's answer).</summary>
    Ok,
    /// <summary>A cell or the whole notebook ran out of time; the cells that timed out earn 0.</summary>
    Timeout,
    /// <summary>The kernel stopped (Environment.Exit, a stack overflow, a crash) or could not run the notebook; the reason says which.</summary>
    Error,
    /// <summary>A locked or check cell was changed or removed: flagged, its points 0, the original run instead.</summary>
    Tampered,
    /// <summary>The student handed in no notebook of this name: 0 points.</summary>
    Missing,
    /// <summary>Not JSON, not a notebook, or not one of this course's notebooks: not executed.</summary>
    InvalidNotebook,
}

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
