using AutoencoderLab.Runtime;

namespace AutoencoderLab.Tests.Support;

/// <summary>Runs the real <c>aelab</c> command in a child process.</summary>
internal static class Aelab
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Result Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var command = new ProcessCommand("dotnet", [TestPaths.AelabDll, .. arguments]) { WorkingDirectory = TestPaths.RepositoryRoot }
            .WithEnvironment(new Dictionary<string, string> { ["NO_COLOR"] = "1", ["COLUMNS"] = "200" })
            .WithEnvironment(environment ?? new Dictionary<string, string>());
        var result = ChildProcess.Run(command, timeout ?? TimeSpan.FromMinutes(5));
        if (result.TimedOut) throw new TimeoutException($"{command} did not finish in time. Output so far: {result.Output}");
        return new Result(result.ExitCode, result.Output, result.Error);
    }

    public static Result Run(params string[] arguments) => Run((IEnumerable<string>)arguments);
}
