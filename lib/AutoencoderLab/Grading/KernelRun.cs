using System.Text.Json.Nodes;

namespace AutoencoderLab.Grading;

/// <summary>What running a notebook for grading gave.</summary>
/// <param name="Executed">The executed notebook, cell for cell the one given (null when no run produced one).</param>
/// <param name="Faults">Cells stopped by a timeout or a dying kernel, by 0-based index.</param>
/// <param name="NotebookTimedOut">True when the notebook's own time ran out.</param>
/// <param name="Failure">Why no executed notebook came back, if none did.</param>
/// <param name="Seconds">Wall-clock seconds of every run together.</param>
/// <param name="KernelStartSeconds">Seconds from starting the kernel to its first cell, every run together.</param>
public sealed record KernelRun(JsonObject? Executed, IReadOnlyDictionary<int, CellFault> Faults, bool NotebookTimedOut, string? Failure,
    double Seconds, double KernelStartSeconds);
