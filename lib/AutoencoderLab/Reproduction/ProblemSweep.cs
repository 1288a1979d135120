namespace AutoencoderLab.Reproduction;

/// <summary>One problem's part of a sweep: every seed and their summary.</summary>
/// <param name="Seeds">Per seed, in the order run.</param>
/// <param name="Summary">Mean, standard deviation, min and max over them.</param>
public sealed record ProblemSweep(IReadOnlyList<SeedOutcome> Seeds, SweepSummary Summary);
