namespace AutoencoderLab.Cli.Console;

/// <summary>
/// Progress reported on the reporting thread (<see cref="Progress{T}"/> would post to the thread pool, out of order and
/// after the work ends): the displays order and draw it themselves.
/// </summary>
internal sealed class Relay<TValue>(Action<TValue> report) : IProgress<TValue>
{
    public void Report(TValue value) => report(value);
}
