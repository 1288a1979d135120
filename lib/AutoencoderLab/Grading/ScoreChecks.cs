using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Grading;

/// <summary>
/// Turns the executed notebook into its grade (nbgrader's rule): a check cell that ran without error earns its points;
/// one that failed earns 0, or its share when the check is made of parts and says how many passed
/// (<see cref="CheckFailedException"/>); a changed, removed, timed-out or never-run check earns 0.
/// </summary>
public static partial class ScoreChecks
{
    /// <summary>The grade of <paramref name="submission"/> after its run.</summary>
    public static NotebookGrade Apply(SubmittedNotebook submission)
    {
        var course = submission.Course;
        var run = submission.Run;
        if (submission.Invalid is { } invalid)
            return new NotebookGrade(submission.Student, course.Name, 0, course.MaxPoints, GradeStatus.InvalidNotebook, invalid,
                course.Checks.Select(c => new CellGrade(c.GradeId, 0, c.Points, "not run", "The notebook could not be read.")).ToList(), 0, 0);
        var cells = run?.Executed is { } executed ? NotebookCells.Of(executed).ToList() : NotebookCells.Of(submission.Notebook!).ToList();
        var grades = new List<CellGrade>();
        foreach (var (id, points) in course.Checks)
        {
            int index = cells.FindIndex(c => CourseNotebook.GradeId(c) == id);
            if (submission.Changed.TryGetValue(id, out var change))
                grades.Add(change == "removed" || index < 0
                    ? new CellGrade(id, 0, points, "missing", "This check cell was removed from the notebook.")
                    : new CellGrade(id, 0, points, "tampered", $"This check cell was changed (it must stay as released): 0 points. The original check ran instead and said: {Said(cells[index], run)}"));
            else if (index < 0)
                grades.Add(new CellGrade(id, 0, points, "missing", "This check cell is not in the notebook."));
            else if (run?.Faults.TryGetValue(index, out var fault) == true)
                grades.Add(new CellGrade(id, 0, points, fault.TimedOut ? "timeout" : "failed", fault.Message));
            else if (run?.Executed is null)
                grades.Add(new CellGrade(id, 0, points, "not run", run?.Failure ?? "The notebook did not run."));
            else
                grades.Add(Score(id, points, cells[index]));
        }
        var (status, reason) = Status(submission, run);
        return new NotebookGrade(submission.Student, course.Name, grades.Sum(g => g.Points), course.MaxPoints, status, reason, grades,
            run?.Seconds ?? 0, run?.KernelStartSeconds ?? 0);
    }

    static CellGrade Score(string id, double points, JsonObject cell)
    {
        var outputs = (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (NotebookCells.Error(cell) is { } text)
        {
            var message = Message(text);
            if (CheckFailedException.PartsIn(text) is { Total: > 0 } parts && parts.Passed > 0)
                return new CellGrade(id, Math.Round(points * parts.Passed / parts.Total, 2), points, "partial", message);
            return new CellGrade(id, 0, points, "failed", message);
        }
        return new CellGrade(id, points, points, "passed", Text(outputs) is { Length: > 0 } said ? said : "Passed.");
    }

    static string Said(JsonObject cell, KernelRun? run)
    {
        var outputs = (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (NotebookCells.Error(cell) is { } error) return Message(error);
        return run?.Executed is null ? "(it did not run)" : Text(outputs) is { Length: > 0 } said ? said : "(no output)";
    }

    static string Text(IEnumerable<JsonObject> outputs) => string.Join("\n", outputs.Select(o =>
        o["output_type"]?.GetValue<string>() == "stream" ? Lines(o["text"]) : Lines(o["data"]?["text/plain"])).Where(t => t.Length > 0)).Trim();

    static string Lines(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>The kernel's error text without its stack trace and exception type prefix.</summary>
    static string Message(string text)
    {
        var cut = StackTrace().Match(text);
        var message = cut.Success ? text[..cut.Index] : text;
        message = Prefix().Replace(message.Trim(), "");
        return message.Trim();
    }

    [GeneratedRegex(@"\r?\n\s+at ")]
    private static partial Regex StackTrace();

    [GeneratedRegex(@"^(Error: )?(AutoencoderLab\.Notebooks\.CheckFailedException: )?")]
    private static partial Regex Prefix();

    static (GradeStatus, string?) Status(SubmittedNotebook submission, KernelRun? run)
    {
        var reasons = new List<string>();
        if (submission.Changed.Count > 0)
            reasons.Add("cells changed: " + string.Join(", ", submission.Changed.Select(c => $"{c.Key} ({c.Value})")));
        var timeouts = run?.Faults.Values.Where(f => f.TimedOut).ToList() ?? [];
        var crashes = run?.Faults.Values.Where(f => !f.TimedOut).ToList() ?? [];
        if (timeouts.Count > 0) reasons.Add($"cells out of time: {string.Join(", ", timeouts.Select(f => f.Cell + 1))}");
        if (run?.NotebookTimedOut == true) reasons.Add("the notebook ran out of time");
        if (crashes.Count > 0) reasons.Add($"the kernel stopped in cells {string.Join(", ", crashes.Select(f => f.Cell + 1))}");
        if (run?.Failure is { } failure && run.NotebookTimedOut == false) reasons.Add(failure);
        var status = submission.Changed.Count > 0 ? GradeStatus.Tampered
            : timeouts.Count > 0 || run?.NotebookTimedOut == true ? GradeStatus.Timeout
            : crashes.Count > 0 || run?.Executed is null ? GradeStatus.Error
            : GradeStatus.Ok;
        return (status, reasons.Count == 0 ? null : string.Join("; ", reasons));
    }
}
