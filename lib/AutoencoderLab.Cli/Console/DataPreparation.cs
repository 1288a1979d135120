using AutoencoderLab.Data;
using AutoencoderLab.Runtime;
using Spectre.Console;

namespace AutoencoderLab.Cli.Console;

/// <summary>
/// Makes sure MNIST is on disk before a command loads it (<see cref="MnistLocation.Ensure"/>), saying what is missing and,
/// on a terminal, showing each download's progress.
/// </summary>
internal static class DataPreparation
{
    public static MnistLocation Ensure(IAnsiConsole console, string? directory, CancellationToken cancellationToken)
    {
        var location = MnistLocation.Resolve(directory);
        var missing = location.Missing();
        if (missing.Count == 0) return location;
        console.MarkupLine($"MNIST: {missing.Count} file(s) missing in [bold]{Markup.Escape(location.Directory)}[/]; downloading into {Markup.Escape(location.DownloadDirectory)}.");
        if (!console.Profile.Capabilities.Interactive) return location.Ensure(null, cancellationToken);
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SyncProgress<DownloadProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.File, out var task)) tasks[p.File] = task = context.AddTask(p.File, maxValue: p.TotalBytes ?? 1);
                    task.MaxValue = p.TotalBytes ?? Math.Max(task.MaxValue, p.Bytes);
                    task.Value = p.Bytes;
                });
                location.Ensure(progress, cancellationToken);
            });
        return location;
    }
}
