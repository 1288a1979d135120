namespace AutoencoderLab.Cli.Console;

/// <summary>The machine a benchmark ran on, in one line: cores, OS, and the load when it ran (shared machines are noisy).</summary>
internal static class MachineDescription
{
    public static string Current => $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, load {LoadAverage()}";

    static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }
}
