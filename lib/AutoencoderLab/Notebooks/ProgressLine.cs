using System.Diagnostics;
using AutoencoderLab.Training;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The one-line progress display of a training in a notebook: "Problem 2: epoch 12/500, loss 2.3456E-002, elapsed ...,
/// left ...". Rewritten in place at most twice a second and at the last epoch; in a headless run (whose kernel keeps
/// every update as an output) only at every tenth of the epochs. A training loop calls <see cref="Report(int, float)"/>
/// after each epoch; the library's trainer reports through <see cref="IProgress{T}"/>.
/// </summary>
public sealed class ProgressLine(string what, int epochs, Action<string> show, bool headless) : IProgress<TrainingProgress>
{
    readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Epochs of the whole training.</summary>
    public int Epochs { get; } = epochs;

    /// <summary>Reports that <paramref name="epoch"/> (1-based) ended with <paramref name="loss"/> as its last batch's loss.</summary>
    public void Report(int epoch, float loss)
    {
        if (headless && epoch < Epochs && epoch % Math.Max(1, Epochs / 10) != 0) return;
        var remaining = epoch > 0 ? TimeSpan.FromTicks(clock.Elapsed.Ticks / epoch * Math.Max(0, Epochs - epoch)) : TimeSpan.Zero;
        show($"{what}: epoch {epoch}/{Epochs}, loss {loss:E4}, elapsed {clock.Elapsed:hh\\:mm\\:ss}, left {remaining:hh\\:mm\\:ss}");
    }

    /// <inheritdoc />
    void IProgress<TrainingProgress>.Report(TrainingProgress value)
    {
        if (value.EpochCompleted) Report(value.Epoch, value.Loss);
    }
}
