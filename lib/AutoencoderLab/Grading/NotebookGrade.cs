namespace AutoencoderLab.Grading;

/// <summary>The grade of one submitted notebook: one row of the gradebook.</summary>
/// <param name="Student">The student's folder name.</param>
/// <param name="Notebook">The notebook's file name without extension (e.g. <c>02-training</c>).</param>
/// <param name="Points">Points earned, the sum of <see cref="Cells"/>.</param>
/// <param name="MaxPoints">Points available in the instructor's notebook.</param>
/// <param name="Status">How grading ended.</param>
/// <param name="Reason">Why, when the status is not ok (the error, the cells that timed out or were changed).</param>
/// <param name="Cells">One grade per check cell of the instructor's notebook, in notebook order.</param>
/// <param name="Seconds">Wall-clock seconds spent on this notebook (every kernel run included).</param>
/// <param name="KernelStartSeconds">Seconds from starting the kernel process to its first cell (summed over reruns).</param>
public sealed record NotebookGrade(string Student, string Notebook, double Points, double MaxPoints, GradeStatus Status, string? Reason,
    IReadOnlyList<CellGrade> Cells, double Seconds, double KernelStartSeconds);
