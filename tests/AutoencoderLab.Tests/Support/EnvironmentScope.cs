namespace AutoencoderLab.Tests.Support;

/// <summary>Tests that change process-wide state (environment, current directory) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}

/// <summary>Sets an environment variable for the scope's lifetime.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    readonly string name;
    readonly string? previous;

    public EnvironmentScope(string name, string? value)
    {
        this.name = name;
        previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(name, previous);
}
