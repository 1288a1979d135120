namespace AutoencoderLab.Runtime;

/// <summary>
/// A program to start as a <see cref="ChildProcess"/>: the program, its arguments as a list (never one quoted string),
/// the folder it starts in and the variables added to the parent's environment.
/// </summary>
/// <param name="Program">The executable: a path, or a name looked up on the PATH.</param>
/// <param name="Arguments">Each argument as the program receives it.</param>
public sealed record ProcessCommand(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The working directory; null for the parent's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set in the child's environment on top of the parent's (a later value of the same name wins).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>This command with <paramref name="variables"/> added to its environment (they win over the ones it has).</summary>
    public ProcessCommand WithEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var merged = new Dictionary<string, string>(Environment);
        foreach (var (name, value) in variables) merged[name] = value;
        return this with { Environment = merged };
    }

    /// <summary>The command as one would type it (for messages).</summary>
    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments));
}
