using System.ComponentModel;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab notebooks release</c>: write the student versions (or, with --check, say whether they are current).</summary>
public sealed class NotebooksReleaseCommand(IAnsiConsole console) : Command<NotebooksReleaseCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--check")]
        [Description("Write nothing; exit 1 if notebooks/student/ differs from what release would write.")]
        public bool Check { get; init; }
    }

    public static string Source => Path.Combine(ProjectPaths.Root, "notebooks");
    public static string Target => Path.Combine(Source, "student");

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Check)
        {
            var stale = ReleasePipeline.Student.Stale(Source, Target);
            foreach (var path in stale) console.MarkupLine($"[yellow]out of date:[/] {Markup.Escape(path)}");
            console.WriteLine(stale.Count == 0 ? "Student notebooks are up to date." : "Run 'aelab notebooks release' and commit the result.");
            return stale.Count == 0 ? 0 : 1;
        }
        foreach (var path in ReleasePipeline.Student.ReleaseAll(Source, Target)) console.MarkupLine($"wrote {Markup.Escape(path)}");
        return 0;
    }
}
