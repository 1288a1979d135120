using System.Globalization;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The knobs of every notebook. Defaults are the assignment's; the parameters cell at the top of a notebook can ask for
/// quick mode, and the environment overrides both (that is how headless runs and graders choose):
/// <c>AELAB_NOTEBOOK_QUICK=1|0</c> (quick: 1 epoch, 1,000 t-SNE points) and, one by one, <c>AELAB_EPOCHS</c>,
/// <c>AELAB_SEED</c>, <c>AELAB_DEVICE</c>, <c>AELAB_TSNE_POINTS</c>.
/// </summary>
public sealed record NotebookParameters
{
    /// <summary>Environment variable that selects quick mode (1) or the assignment's parameters (0), whatever the notebook says.</summary>
    public const string QuickVariable = "AELAB_NOTEBOOK_QUICK";

    /// <summary>
    /// Environment variable the headless runners set: their kernels store every display update as an output of its own,
    /// so progress lines are written ten times a training instead of twice a second, and charts do not embed plotly.js.
    /// </summary>
    public const string HeadlessVariable = "AELAB_NOTEBOOK_HEADLESS";

    /// <summary>
    /// Environment variable a grader sets to 0: charts carry their drawing script but no PNG, because a kernel would start a
    /// Chromium per chart; the grader renders the PNGs of a whole notebook at once for its feedback page.
    /// </summary>
    public const string ChartImagesVariable = "AELAB_NOTEBOOK_CHART_IMAGES";

    /// <summary>Environment variable naming the folder where notebooks keep trained models (a grader's temporary folder).</summary>
    public const string ArtifactsVariable = "AELAB_NOTEBOOK_ARTIFACTS";

    /// <summary>Epochs of each training (assignment: 500).</summary>
    public int Epochs { get; init; } = Training.TrainingDefaults.Epochs;
    /// <summary>Seed of everything random.</summary>
    public long Seed { get; init; } = Training.TrainingDefaults.Seed;
    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = Runtime.DeviceChoice.Auto;
    /// <summary>Points in each t-SNE map (assignment: 20,000, every third training image).</summary>
    public int TsnePoints { get; init; } = 20_000;
    /// <summary>True in quick mode.</summary>
    public bool Quick { get; init; }
    /// <summary>True when run by a headless runner rather than in an editor.</summary>
    public bool Headless { get; init; }
    /// <summary>False when charts are drawn without their PNG (a grader's kernels).</summary>
    public bool ChartImages { get; init; } = true;
    /// <summary>Where trained models are kept, when the environment says (else the repository's artifacts/notebooks).</summary>
    public string? Artifacts { get; init; }

    /// <summary>Quick mode's parameters: one epoch, 1,000-point t-SNE maps.</summary>
    public static NotebookParameters QuickMode { get; } = new() { Epochs = 1, TsnePoints = 1000, Quick = true };

    /// <summary>The defaults (quick mode if <paramref name="quick"/>), overridden by the environment.</summary>
    public static NotebookParameters FromEnvironment(bool quick = false)
    {
        quick = Environment.GetEnvironmentVariable(QuickVariable) switch
        {
            "1" or "true" => true,
            "0" or "false" => false,
            null or "" => quick,
            var text => throw new InvalidSettingsException($"{QuickVariable}='{text}': use 1 (quick mode) or 0 (the assignment's parameters)."),
        };
        var parameters = quick ? QuickMode : new NotebookParameters();
        if (Read("AELAB_EPOCHS") is { } epochs) parameters = parameters with { Epochs = epochs };
        if (Read("AELAB_TSNE_POINTS") is { } points) parameters = parameters with { TsnePoints = points };
        if (Read("AELAB_SEED") is { } seed) parameters = parameters with { Seed = seed };
        if (Environment.GetEnvironmentVariable("AELAB_DEVICE") is { Length: > 0 } device) parameters = parameters with { Device = device };
        if (Environment.GetEnvironmentVariable(HeadlessVariable) is "1") parameters = parameters with { Headless = true };
        if (Environment.GetEnvironmentVariable(ChartImagesVariable) is "0") parameters = parameters with { ChartImages = false };
        if (Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } artifacts) parameters = parameters with { Artifacts = artifacts };
        return parameters;
    }

    static int? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InvalidSettingsException($"{name}='{text}' is not a positive whole number.")
            : null;
}
