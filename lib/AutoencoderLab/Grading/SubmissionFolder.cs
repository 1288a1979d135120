namespace AutoencoderLab.Grading;

/// <summary>
/// Finds the submissions in a folder: <c>STUDENT/NOTEBOOK.ipynb</c>, or nbgrader's
/// <c>submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb</c> (the folder given may be the course root or <c>submitted</c>).
/// </summary>
public static class SubmissionFolder
{
    /// <summary>Every student's submission, in name order (ordinal, so every machine of a shard sees the same order).</summary>
    public static IReadOnlyList<Submission> Find(string folder, IReadOnlyCollection<string> notebookNames)
    {
        if (!Directory.Exists(folder)) throw new AutoencoderLabException($"No submissions folder at {folder}.");
        var root = Directory.Exists(Path.Combine(folder, "submitted")) ? Path.Combine(folder, "submitted") : folder;
        var submissions = new List<Submission>();
        foreach (var student in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(student);
            if (name.StartsWith('.')) continue;
            var own = Notebooks(student);
            var holder = own.Count > 0 ? student
                : Directory.GetDirectories(student).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
                    .FirstOrDefault(d => Notebooks(d).Count > 0) ?? student;
            var files = holder == student ? own : Notebooks(holder);
            var known = files.Where(f => notebookNames.Contains(Path.GetFileNameWithoutExtension(f)))
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => f);
            submissions.Add(new Submission(name, holder, known, files.Where(f => !known.ContainsValue(f)).ToList()));
        }
        return submissions;
    }

    static List<string> Notebooks(string folder) => Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
}
