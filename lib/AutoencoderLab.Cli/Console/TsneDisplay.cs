using AutoencoderLab.Embedding;
using Spectre.Console;

namespace AutoencoderLab.Cli.Console;

/// <summary>One line per t-SNE phase and per 250 iterations, with the KL divergence.</summary>
internal sealed class TsneDisplay(IAnsiConsole console) : IProgress<TsneProgress>
{
    public void Report(TsneProgress value)
    {
        if (value.Phase != "optimization")
            console.WriteLine($"  t-SNE {value.Phase}  ({value.Elapsed.TotalSeconds:F1} s)");
        else if (value.Kl is { } kl && (value.Iteration % 250 == 0 || value.Iteration == value.Iterations))
            console.WriteLine($"  t-SNE iteration {value.Iteration}/{value.Iterations}  KL {kl:F3}  ({value.Elapsed.TotalSeconds:F1} s)");
    }
}
