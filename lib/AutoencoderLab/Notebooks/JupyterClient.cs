using AutoencoderLab.Runtime;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// Runs notebooks as Jupyter does: <c>jupyter-nbconvert --execute</c> with the .NET Interactive kernelspec
/// (<c>.net-csharp</c>), which starts <c>dotnet interactive</c> from the global tools folder.
/// </summary>
public static class JupyterClient
{
    /// <summary>The .NET Interactive kernelspec's name.</summary>
    public const string KernelName = ".net-csharp";

    static string ToolsFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");

    /// <summary>
    /// The process that executes <paramref name="notebook"/> into <paramref name="output"/>, keeping going after a failing
    /// cell (as dotnet-repl does). Installs the kernelspec first when it is missing; says what to install when it cannot.
    /// </summary>
    public static ProcessCommand Start(string notebook, string output)
    {
        EnsureKernel();
        return WithTools(new ProcessCommand("jupyter-nbconvert", ["--to", "notebook", "--execute", notebook, "--allow-errors", $"--ExecutePreprocessor.kernel_name={KernelName}",
            "--ExecutePreprocessor.timeout=-1", "--output-dir", Path.GetDirectoryName(output)!, "--output", Path.GetFileName(output)]));
    }

    // The kernelspec starts 'dotnet interactive', a global tool: its folder must be on the PATH.
    static ProcessCommand WithTools(ProcessCommand command) => command.WithEnvironment(
        new Dictionary<string, string> { ["PATH"] = ToolsFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") });

    /// <summary>Installs the .NET Interactive kernelspec for Jupyter (in the user's kernels folder) when no Jupyter data folder has it.</summary>
    public static void EnsureKernel()
    {
        var user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter", "kernels");
        string[] folders = [user, "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels"];
        if (folders.Any(f => File.Exists(Path.Combine(f, KernelName, "kernel.json")))) return;
        Directory.CreateDirectory(user); // 'dotnet interactive jupyter install' writes only into an existing folder
        RunTool("dotnet", ["interactive", "jupyter", "install"],
            "The .NET Interactive kernel is not installed: run 'dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001' (scripts/test.sh does).");
    }

    static string RunTool(string file, string[] arguments, string missing)
    {
        ChildResult result;
        try { result = ChildProcess.Run(WithTools(new ProcessCommand(file, arguments))); }
        catch (ProgramMissingException) { throw new AutoencoderLabException(missing); }
        if (result.ExitCode != 0) throw new AutoencoderLabException($"{missing}{Environment.NewLine}'{file} {string.Join(' ', arguments)}' said: {result.Error}");
        return result.Output;
    }
}
