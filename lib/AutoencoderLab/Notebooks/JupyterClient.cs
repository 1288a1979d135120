using System.Diagnostics;

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
    public static ProcessStartInfo Start(string notebook, string output)
    {
        EnsureKernel();
        var start = new ProcessStartInfo("jupyter-nbconvert");
        foreach (var a in new[] { "--to", "notebook", "--execute", notebook, "--allow-errors", $"--ExecutePreprocessor.kernel_name={KernelName}",
                     "--ExecutePreprocessor.timeout=-1", "--output-dir", Path.GetDirectoryName(output)!, "--output", Path.GetFileName(output) })
            start.ArgumentList.Add(a);
        start.Environment["PATH"] = ToolsFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        return start;
    }

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
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PATH"] = ToolsFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception) { throw new AutoencoderLabException(missing); }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new AutoencoderLabException($"{missing}{Environment.NewLine}'{file} {string.Join(' ', arguments)}' said: {error}");
            return output.Result;
        }
    }
}
