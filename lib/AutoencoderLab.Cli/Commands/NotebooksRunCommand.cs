using System.ComponentModel;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab notebooks run</c>: execute notebooks headless in a real kernel, keep every output, report each cell.</summary>
public sealed class NotebooksRunCommand(IAnsiConsole console) : Command<NotebooksRunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[NOTEBOOKS]")]
        [Description("Notebooks to run (default: the instructor notebooks in notebooks/).")]
        public string[] Notebooks { get; init; } = [];

        [CommandOption("--quick")]
        [Description("Quick mode: 1 epoch, 1,000-point t-SNE maps (without it: the assignment's parameters, whatever the notebooks' parameters cell says).")]
        public bool Quick { get; init; }

        [CommandOption("--in-place")]
        [Description("Store the outputs in the notebooks themselves (reference outputs).")]
        public bool InPlace { get; init; }

        [CommandOption("--client <CLIENT>")]
        [Description("repl (dotnet-repl, default) or jupyter (nbconvert with the .NET Interactive kernel).")]
        public NotebookClient Client { get; init; } = NotebookClient.Repl;

        [CommandOption("--out <DIR>")]
        [Description("Write the executed notebooks here (default: artifacts/notebooks/executed).")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (InPlace && Out is not null) return ValidationResult.Error("Choose --in-place or --out, not both.");
            foreach (var notebook in Notebooks)
                if (!File.Exists(notebook)) return ValidationResult.Error($"No notebook at '{notebook}'.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var notebooks = settings.Notebooks.Length > 0
            ? settings.Notebooks
            : Directory.GetFiles(Path.Combine(ProjectPaths.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        var outDirectory = settings.Out ?? Path.Combine(ProjectPaths.Root, "artifacts", "notebooks", "executed");
        bool failed = false;
        foreach (var notebook in notebooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var output = settings.InPlace ? notebook : Path.Combine(outDirectory, Path.GetFileName(notebook));
            console.MarkupLine($"[blue]>[/] {Markup.Escape(notebook)}{(settings.Quick ? " (quick)" : "")}");
            var result = NotebookRunner.Run(notebook, output, settings.Quick, client: settings.Client);
            var table = new Table().AddColumns("cell", "kind", "check", "result");
            foreach (var cell in result.Cells.Where(c => c.IsCode))
                table.AddRow($"{cell.Index}", cell.HasChart ? "code, chart" : "code", cell.GradeId ?? "",
                    cell.Error is null ? "[green]ok[/]" : $"[red]{Markup.Escape(FirstLine(cell.Error))}[/]");
            console.Write(table);
            console.MarkupLine($"{(result.Succeeded ? "[green]passed[/]" : "[red]failed[/]")} in {result.Elapsed.TotalSeconds:F1} s; outputs in {Markup.Escape(result.Output)}");
            failed |= !result.Succeeded;
        }
        return failed ? 1 : 0;
    }

    static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
