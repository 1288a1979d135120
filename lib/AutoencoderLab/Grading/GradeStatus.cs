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
