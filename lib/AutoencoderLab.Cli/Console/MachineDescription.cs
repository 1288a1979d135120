namespace AutoencoderLab.Cli.Console;

/// <summary>The machine a benchmark ran on, in one line: CPU, cores, OS, and the load when it ran (shared machines are noisy).</summary>
internal static class MachineDescription
{
    public static string Current => $"{Cpu()}, {Environment.ProcessorCount} cores, {Environment.OSVersion}, load {LoadAverage()}";

    // Measurements differ between CPUs of the same core count, so name it.
    static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "CPU ?" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return "CPU ?"; }
        catch (UnauthorizedAccessException) { return "CPU ?"; }
    }

    static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }
}
