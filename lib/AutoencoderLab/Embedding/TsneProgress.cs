namespace AutoencoderLab.Embedding;

/// <summary>Progress of a t-SNE run.</summary>
/// <param name="Phase"><c>neighbors</c>, <c>affinities</c> or <c>optimization</c>.</param>
/// <param name="Iteration">Iterations done (optimisation only).</param>
/// <param name="Iterations">Iterations in all.</param>
/// <param name="Kl">KL divergence, reported every <see cref="TsneOptions.ReportEvery"/> iterations; else null.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record TsneProgress(string Phase, int Iteration, int Iterations, double? Kl, TimeSpan Elapsed);
