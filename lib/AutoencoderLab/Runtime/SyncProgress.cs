namespace AutoencoderLab.Runtime;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its delegate at once, on the reporting thread. <see cref="Progress{T}"/>
/// posts each report to the captured context, which outside a UI is the thread pool: reports then arrive out of order,
/// side by side, and after the work has ended. Displays and tests that order or count reports use this one.
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
