using System.Globalization;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The knobs at the top of every notebook. Defaults are the assignment's; a headless run overrides them through
/// the environment: <c>AELAB_NOTEBOOK_QUICK=1</c> (1 epoch, 1,000 t-SNE points) and, one by one,
/// <c>AELAB_EPOCHS</c>, <c>AELAB_SEED</c>, <c>AELAB_DEVICE</c>, <c>AELAB_TSNE_POINTS</c>.
/// </summary>
public sealed record NotebookParameters
{
    /// <summary>Environment variable that selects quick mode.</summary>
    public const string QuickVariable = "AELAB_NOTEBOOK_QUICK";

    /// <summary>
    /// Environment variable the headless runner sets: its kernel stores every display update as an output of its own,
    /// so progress lines are written ten times a training instead of twice a second.
    /// </summary>
    public const string HeadlessVariable = "AELAB_NOTEBOOK_HEADLESS";

    /// <summary>Epochs of each training (assignment: 500).</summary>
    public int Epochs { get; init; } = 500;
    /// <summary>Seed of everything random.</summary>
    public long Seed { get; init; } = 3;
    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Points in each t-SNE map (assignment: 20,000, every third training image).</summary>
    public int TsnePoints { get; init; } = 20_000;
    /// <summary>True in quick mode.</summary>
    public bool Quick { get; init; }
    /// <summary>True when run by <c>aelab notebooks run</c> rather than in an editor.</summary>
    public bool Headless { get; init; }

    /// <summary>The defaults, overridden by the environment.</summary>
    public static NotebookParameters FromEnvironment()
    {
        var quick = Environment.GetEnvironmentVariable(QuickVariable) is "1" or "true";
        var parameters = quick ? new NotebookParameters { Epochs = 1, TsnePoints = 1000, Quick = true } : new NotebookParameters();
        if (Read("AELAB_EPOCHS") is { } epochs) parameters = parameters with { Epochs = epochs };
        if (Read("AELAB_TSNE_POINTS") is { } points) parameters = parameters with { TsnePoints = points };
        if (Read("AELAB_SEED") is { } seed) parameters = parameters with { Seed = seed };
        if (Environment.GetEnvironmentVariable("AELAB_DEVICE") is { Length: > 0 } device) parameters = parameters with { Device = device };
        if (Environment.GetEnvironmentVariable(HeadlessVariable) is "1") parameters = parameters with { Headless = true };
        return parameters;
    }

    static int? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name}='{text}' is not a positive whole number.")
            : null;
}
