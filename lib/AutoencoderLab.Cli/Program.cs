using AutoencoderLab.Cli;
using AutoencoderLab.Cli.Console;
using Spectre.Console;

// aelab: the command-line door onto the AutoencoderLab library. It parses arguments, wires
// library pieces together and draws the console; the work itself lives in the library.
using var interruption = new Interruption();

// Logs and CI: do not wrap messages (paths, resume commands) at a guessed 80 columns.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 200;

return AelabApp.Create(AnsiConsole.Console).Run(args, interruption.Token) switch
{
    _ when interruption.Signal is { } signal => signal.ExitCode(),
    var code => code,
};
