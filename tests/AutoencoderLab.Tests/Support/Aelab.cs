using System.Diagnostics;

namespace AutoencoderLab.Tests.Support;

/// <summary>Runs the real <c>aelab</c> command in a child process.</summary>
internal static class Aelab
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Result Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null, Action<Process>? whileRunning = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = TestPaths.RepositoryRoot };
        start.ArgumentList.Add(TestPaths.AelabDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        whileRunning?.Invoke(process);
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aelab {string.Join(' ', arguments)} did not finish in time. Output so far: {output.Result}");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Result Run(params string[] arguments) => Run((IEnumerable<string>)arguments);
}
