namespace AutoencoderLab.Runtime;

/// <summary>How a <see cref="ChildProcess.Run"/> ended.</summary>
/// <param name="ExitCode">The exit code; -1 when the process was killed for its time.</param>
/// <param name="Output">Everything printed on standard output.</param>
/// <param name="Error">Everything printed on standard error.</param>
/// <param name="TimedOut">True when the process outlived its time and was killed.</param>
public sealed record ChildResult(int ExitCode, string Output, string Error, bool TimedOut);
