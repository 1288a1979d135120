using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoencoderLab.Cli.Console;

/// <summary>Shows an error as one clear message, never a stack trace, unless it is a bug.</summary>
internal static class ErrorReport
{
    /// <summary>Exit code for bad command-line usage.</summary>
    public const int Usage = 2;
    /// <summary>Exit code for a run that failed for a stated reason (bad data, bad settings, missing device...).</summary>
    public const int Failure = 1;
    /// <summary>Exit code for an internal error, a bug shown with its stack trace (EX_SOFTWARE of sysexits.h).</summary>
    public const int InternalError = 70;

    /// <summary>
    /// Writes <paramref name="exception"/> to <paramref name="console"/> and returns the exit code. User errors are the
    /// library's <see cref="AutoencoderLabException"/>s (bad settings included) and file-system failures; anything else,
    /// a plain <see cref="ArgumentException"/> too, is a bug.
    /// </summary>
    public static int Show(Exception exception, IAnsiConsole console)
    {
        switch (exception)
        {
            case CommandAppException e:
                console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                console.MarkupLine("Run [bold]aelab --help[/] for the commands and their options.");
                return Usage;
            case OperationCanceledException:
                return Failure; // Program turns a signal into 130/143
            case AutoencoderLabException or IOException or UnauthorizedAccessException:
                console.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return Failure;
            default:
                console.MarkupLine("[red]internal error[/] (please report it with the text below):");
                console.WriteException(exception);
                return InternalError;
        }
    }
}
