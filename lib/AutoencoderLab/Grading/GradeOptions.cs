namespace AutoencoderLab.Grading;

/// <summary>What <c>aelab grade</c> does: where the submissions are, where the gradebook goes, and how notebooks run.</summary>
public sealed record GradeOptions
{
    /// <summary>Folder of submissions: <c>STUDENT/NOTEBOOK.ipynb</c>, or nbgrader's <c>submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb</c>.</summary>
    public required string Submissions { get; init; }

    /// <summary>Folder of gradebook.csv, gradebook.json, feedback/ and executed/.</summary>
    public required string Out { get; init; }

    /// <summary>The instructor notebooks (solutions, hidden tests, points); default: the repository's <c>notebooks/</c>.</summary>
    public string? Instructor { get; init; }

    /// <summary>The MNIST folder the kernels read (default: as everywhere, <c>AELAB_DATA</c> or the repository's <c>data/</c>).</summary>
    public string? Data { get; init; }

    /// <summary>Run the notebooks in quick mode (1 epoch, 1,000-point t-SNE maps) instead of the assignment's 500 epochs.</summary>
    public bool Quick { get; init; }

    /// <summary>Kernels in parallel (one student at a time each: a student's notebooks build on each other).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>A cell running longer is stopped and earns 0; the rest of the notebook still runs.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>A notebook running longer (all its reruns together) is stopped; cells not run earn 0.</summary>
    public TimeSpan? NotebookTimeout { get; init; }

    /// <summary>Grade students the gradebook already has again (without it they are skipped, so a run can resume).</summary>
    public bool Regrade { get; init; }

    /// <summary>Grade only students K, K+N, K+2N, ... (0-based, in name order) of the whole class: one machine's share.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>The cell timeout used: the given one, else 2 minutes in quick mode and 2 hours with the assignment's parameters.</summary>
    public TimeSpan CellLimit => CellTimeout ?? (Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromHours(2));

    /// <summary>The notebook timeout used: the given one, else 10 minutes in quick mode and 4 hours with the assignment's parameters.</summary>
    public TimeSpan NotebookLimit => NotebookTimeout ?? (Quick ? TimeSpan.FromMinutes(10) : TimeSpan.FromHours(4));
}
