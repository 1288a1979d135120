using System.ComponentModel;
using AutoencoderLab.Charts;
using AutoencoderLab.Cli.Console;
using AutoencoderLab.Data;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab report DIR</c>: (re)write report.html and the PNG figures of a finished run.</summary>
public sealed class ReportCommand(IAnsiConsole console) : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandArgument(0, "<DIR>")]
        [Description("A results directory written by 'aelab reproduce' (holds results.json).")]
        public string Directory { get; init; } = "";

        [CommandOption("--no-png")]
        [Description("Skip the PNG copies (they need Chromium).")]
        public bool NoPng { get; init; }

        public override ValidationResult Validate()
        {
            if (!new RunDirectory(Directory).HoldsResults)
                return ValidationResult.Error($"'{Directory}' holds no {RunDirectory.ResultsFile}: give the --out directory of a finished 'aelab reproduce'.");
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = settings.LoadData(console, cancellationToken);
        using var renderer = settings.NoPng ? null : ChromiumRenderer.Find();
        var report = RunReport.Write(settings.Directory, data, renderer);
        Describe(console, settings.NoPng ? report with { PngNote = null } : report);
        return 0;
    }

    internal static void Describe(IAnsiConsole console, ReportOutput report)
    {
        console.MarkupLine($"Report: [bold]{Markup.Escape(report.Path)}[/] ({report.Bytes / 1024.0 / 1024.0:F1} MB, {report.Figures.Count} figures, opens offline).");
        if (report.Pngs.Count > 0) console.MarkupLine($"PNG figures: {report.Pngs.Count} in [bold]{Markup.Escape(Path.GetDirectoryName(report.Pngs[0])!)}[/].");
        if (report.PngNote is { } note) console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
    }
}
