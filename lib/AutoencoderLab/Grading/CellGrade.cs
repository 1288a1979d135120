namespace AutoencoderLab.Grading;

/// <summary>The grade of one check (graded) cell.</summary>
/// <param name="GradeId">The cell's nbgrader <c>grade_id</c> (a gradebook column).</param>
/// <param name="Points">Points earned.</param>
/// <param name="MaxPoints">The cell's <c>metadata.nbgrader.points</c>.</param>
/// <param name="Outcome">passed, partial, failed, timeout, not run, tampered or missing.</param>
/// <param name="Message">What the check said (its confirmation or its error), or why it earned nothing.</param>
public sealed record CellGrade(string GradeId, double Points, double MaxPoints, string Outcome, string Message);
