using System.ComponentModel;
using AutoencoderLab.Notebooks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Commands;

/// <summary><c>aelab notebooks setup</c>: publish the library for notebook kernels and restore dotnet-repl.</summary>
public sealed class NotebooksSetupCommand(IAnsiConsole console) : Command<NotebooksSetupCommand.Settings>
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
        NotebookRunner.PrepareKernel(line => console.WriteLine(line), settings.Backend);
        console.MarkupLine($"Ready: the notebooks' [bold]#r[/] lines find the library in {Markup.Escape(NotebookRunner.KernelDirectory)}.");
        return 0;
    }
}
