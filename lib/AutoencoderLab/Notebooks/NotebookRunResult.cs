namespace AutoencoderLab.Notebooks;

/// <summary>An executed notebook.</summary>
/// <param name="Notebook">The source notebook.</param>
/// <param name="Output">The executed copy, outputs included.</param>
/// <param name="ExitCode">The kernel runner's exit code (dotnet-repl: 2 when a cell failed).</param>
/// <param name="Elapsed">Wall-clock time of the whole run.</param>
/// <param name="Cells">Every cell.</param>
public sealed record NotebookRunResult(string Notebook, string Output, int ExitCode, TimeSpan Elapsed, IReadOnlyList<CellResult> Cells)
{
    /// <summary>True when no cell failed.</summary>
    public bool Succeeded => ExitCode == 0 && Cells.All(c => c.Error is null);
}
