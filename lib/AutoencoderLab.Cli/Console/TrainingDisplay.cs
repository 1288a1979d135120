using AutoencoderLab.Training;
using Spectre.Console;

namespace AutoencoderLab.Cli.Console;

/// <summary>
/// Draws training progress: a live bar with the latest loss and the time left on a terminal,
/// one line per epoch when output goes to a file or CI log.
/// </summary>
internal sealed class TrainingDisplay(IAnsiConsole console) : IProgress<TrainingProgress>
{
    ProgressTask? task;

    public bool Interactive => console.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    public T Show<T>(string title, Func<T> work)
    {
        if (!Interactive)
        {
            console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
            return work();
        }
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                task = context.AddTask(Markup.Escape(title), maxValue: 1);
                try { return work(); }
                finally { task.StopTask(); task = null; }
            });
    }

    public void Report(TrainingProgress value)
    {
        if (task is not null)
        {
            task.MaxValue = Math.Max(1, value.Epochs * value.Batches);
            task.Value = (value.Epoch - (value.EpochCompleted ? 0 : 1)) * value.Batches + (value.EpochCompleted ? 0 : value.Batch);
            task.Description = $"{value.Objective}  epoch {value.Epoch}/{value.Epochs}  loss {value.Loss:E3}";
        }
        else if (value.EpochCompleted)
        {
            console.WriteLine($"  {value.Objective} epoch {value.Epoch}/{value.Epochs}  loss {value.Loss:E6}  elapsed {value.Elapsed:hh\\:mm\\:ss}  left {value.Remaining:hh\\:mm\\:ss}");
        }
    }
}
