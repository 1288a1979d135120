using System.Runtime.InteropServices;

namespace AutoencoderLab.Cli.Console;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation the trainer honours between steps,
/// so a run stops cleanly instead of dying mid-write. A second Ctrl+C kills the process as usual.
/// </summary>
internal sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource source = new();
    readonly PosixSignalRegistration[] registrations;

    public Interruption()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, PosixSignal.SIGINT)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, PosixSignal.SIGTERM)),
        ];
    }

    /// <summary>Cancelled when a signal arrives.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The signal that cancelled the run, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    void Handle(PosixSignalContext context, PosixSignal signal)
    {
        if (Signal is not null) return; // second signal: default behaviour (terminate)
        context.Cancel = true;
        Signal = signal;
        System.Console.Error.WriteLine($"{(signal == PosixSignal.SIGINT ? "Interrupt" : "Termination")} requested: finishing the current step...");
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
