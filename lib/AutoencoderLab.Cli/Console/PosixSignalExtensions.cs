using System.Runtime.InteropServices;

namespace AutoencoderLab.Cli.Console;

/// <summary>What a process ends with when a signal stops it.</summary>
internal static class PosixSignalExtensions
{
    /// <summary>The shell's convention: 128 + signal number (130 for SIGINT, 143 for SIGTERM).</summary>
    public static int ExitCode(this PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => 130,
        PosixSignal.SIGTERM => 143,
        _ => 1,
    };
}
