using System.Collections.Concurrent;
using AutoencoderLab.Embedding;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using AutoencoderLab.Training;
using Spectre.Console;

namespace AutoencoderLab.Cli.Console;

/// <summary>
/// Shows a whole <see cref="AssignmentRun"/>: on a terminal, one live progress bar per phase (loss and time left for
/// the trainings); in a log, one line per phase and per epoch. The run works on a background thread and only queues
/// events; the console is drawn from this thread, so progress never interleaves with other output.
/// </summary>
internal sealed class RunDisplay(IAnsiConsole console)
{
    readonly ConcurrentQueue<object> events = new();

    /// <summary>Runs <paramref name="work"/> with <paramref name="run"/>'s events shown; returns its result or rethrows its exception.</summary>
    public T Show<T>(AssignmentRun run, Func<T> work)
    {
        var lines = new TrainingDisplay(console);
        var tsneLines = new TsneDisplay(console);
        bool interactive = console.Profile.Capabilities.Interactive;
        run.PhaseStarted += phase => Post(phase, () => console.MarkupLine($"[blue]>[/] {Markup.Escape(phase)}"));
        run.TrainingProgress = new SyncProgress<TrainingProgress>(p => Post(p, () => lines.Report(p)));
        run.TsneProgress = new SyncProgress<TsneProgress>(p => Post(p, () => tsneLines.Report(p)));
        if (!interactive) return work(); // plain lines, written as they come

        var task = Task.Run(work);
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask? current = null;
                string title = "";
                while (!task.IsCompleted || !events.IsEmpty)
                {
                    while (events.TryDequeue(out var e))
                        switch (e)
                        {
                            case string phase:
                                Finish(current);
                                title = phase.Length > 48 ? phase[..47] + "…" : phase;
                                current = context.AddTask(Markup.Escape(title), maxValue: 1);
                                break;
                            case TrainingProgress p when current is not null:
                                current.MaxValue = Math.Max(1, p.Epochs * p.Batches);
                                current.Value = (p.Epoch - (p.EpochCompleted ? 0 : 1)) * p.Batches + (p.EpochCompleted ? 0 : p.Batch);
                                current.Description = Markup.Escape($"{title}  epoch {p.Epoch}/{p.Epochs}, loss {p.Loss:E3}");
                                break;
                            case TsneProgress p when current is not null:
                                current.MaxValue = Math.Max(1, p.Iterations);
                                current.Value = p.Iteration;
                                if (p.Kl is { } kl) current.Description = Markup.Escape($"{title}  KL {kl:F3}");
                                break;
                        }
                    context.Refresh();
                    Thread.Sleep(100);
                }
                Finish(current);
            });
        return task.GetAwaiter().GetResult();

        static void Finish(ProgressTask? task)
        {
            if (task is null) return;
            task.Value = task.MaxValue;
            task.StopTask();
        }

        void Post(object e, Action plain)
        {
            if (interactive) events.Enqueue(e);
            else plain();
        }
    }
}
