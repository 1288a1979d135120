namespace AutoencoderLab.Grading;

/// <summary>One student's submission: their notebooks by course notebook name, and files that are not one of them.</summary>
/// <param name="Student">The student's folder name.</param>
/// <param name="Folder">The folder holding the notebooks (with nbgrader's layout, the assignment folder).</param>
/// <param name="Notebooks">Submitted notebooks by name (file name without .ipynb) that the course has.</param>
/// <param name="Strangers">Other .ipynb files in the folder: reported as invalid, not run.</param>
public sealed record Submission(string Student, string Folder, IReadOnlyDictionary<string, string> Notebooks, IReadOnlyList<string> Strangers);
