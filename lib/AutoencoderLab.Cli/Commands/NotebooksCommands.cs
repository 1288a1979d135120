using System.ComponentModel;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab notebooks setup</c>: publish the library for notebook kernels and restore dotnet-repl.</summary>
public sealed class NotebooksSetupCommand : Command<NotebooksSetupCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--backend <BACKEND>")]
        [Description("libtorch for the kernels: cpu (default) or cuda (a GPU build, as -p:TorchBackend=cuda for the CLI).")]
        public string Backend { get; init; } = "cpu";

        public override ValidationResult Validate() =>
            Backend is "cpu" or "cuda" ? ValidationResult.Success() : ValidationResult.Error($"--backend must be cpu or cuda, not '{Backend}'.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        NotebookRunner.PrepareKernel(line => AnsiConsole.WriteLine(line), settings.Backend);
        AnsiConsole.MarkupLine($"Ready: the notebooks' [bold]#r[/] lines find the library in {Markup.Escape(NotebookRunner.KernelDirectory)}.");
        return 0;
    }
}

/// <summary><c>aelab notebooks release</c>: write the student versions (or, with --check, say whether they are current).</summary>
public sealed class NotebooksReleaseCommand : Command<NotebooksReleaseCommand.Settings>
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
            foreach (var path in stale) AnsiConsole.MarkupLine($"[yellow]out of date:[/] {Markup.Escape(path)}");
            AnsiConsole.WriteLine(stale.Count == 0 ? "Student notebooks are up to date." : "Run 'aelab notebooks release' and commit the result.");
            return stale.Count == 0 ? 0 : 1;
        }
        foreach (var path in ReleasePipeline.Student.ReleaseAll(Source, Target)) AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        return 0;
    }
}

/// <summary><c>aelab notebooks run</c>: execute notebooks headless in a real kernel, keep every output, report each cell.</summary>
public sealed class NotebooksRunCommand : Command<NotebooksRunCommand.Settings>
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
            AnsiConsole.MarkupLine($"[blue]>[/] {Markup.Escape(notebook)}{(settings.Quick ? " (quick)" : "")}");
            var result = NotebookRunner.Run(notebook, output, settings.Quick, client: settings.Client);
            var table = new Table().AddColumns("cell", "kind", "check", "result");
            foreach (var cell in result.Cells.Where(c => c.IsCode))
                table.AddRow($"{cell.Index}", cell.HasChart ? "code, chart" : "code", cell.GradeId ?? "",
                    cell.Error is null ? "[green]ok[/]" : $"[red]{Markup.Escape(FirstLine(cell.Error))}[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{(result.Succeeded ? "[green]passed[/]" : "[red]failed[/]")} in {result.Elapsed.TotalSeconds:F1} s; outputs in {Markup.Escape(result.Output)}");
            failed |= !result.Succeeded;
        }
        return failed ? 1 : 0;
    }

    static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
