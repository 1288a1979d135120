namespace AutoencoderLab.Grading;

/// <summary>A notebook graded: which, how, and how far the run is.</summary>
/// <param name="Grade">The notebook's grade.</param>
/// <param name="Done">Notebooks graded so far in this run.</param>
/// <param name="Total">Notebooks this run grades.</param>
public sealed record GradingProgress(NotebookGrade Grade, int Done, int Total);
