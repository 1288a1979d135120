namespace AutoencoderLab.Notebooks;

/// <summary>One cell of an executed notebook.</summary>
/// <param name="Index">1-based position in the notebook.</param>
/// <param name="IsCode">True for code cells.</param>
/// <param name="GradeId">nbgrader grade_id, if any.</param>
/// <param name="IsGraded">nbgrader grade: a check cell.</param>
/// <param name="Error">The error text when the cell failed.</param>
/// <param name="HasChart">True when an output draws a Plotly chart.</param>
public sealed record CellResult(int Index, bool IsCode, string? GradeId, bool IsGraded, string? Error, bool HasChart);
