namespace AutoencoderLab.Grading;

/// <summary>Why the grader stopped a cell: it ran out of time, or the kernel died while running it.</summary>
/// <param name="Cell">0-based index of the cell in the notebook.</param>
/// <param name="TimedOut">True for a timeout, false when the kernel stopped (Environment.Exit, a stack overflow, a crash).</param>
/// <param name="Message">What the student reads in place of the cell's output.</param>
public sealed record CellFault(int Cell, bool TimedOut, string Message);
