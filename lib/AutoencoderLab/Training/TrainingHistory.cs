namespace AutoencoderLab.Training;

/// <summary>What a run recorded: every step's loss parts and every epoch's duration.</summary>
public sealed class TrainingHistory
{
    readonly Dictionary<string, List<float>> parts;

    /// <summary>Creates an empty history for the named loss parts.</summary>
    public TrainingHistory(IEnumerable<string> partNames) => parts = partNames.ToDictionary(n => n, _ => new List<float>());

    /// <summary>Total loss of every step, in order.</summary>
    public List<float> Total { get; } = [];

    /// <summary>Each named part's value at every step, in order.</summary>
    public IReadOnlyDictionary<string, List<float>> Parts => parts;

    /// <summary>Wall-clock seconds of each epoch trained in this process.</summary>
    public List<double> EpochSeconds { get; } = [];

    /// <summary>Records one step.</summary>
    public void Add(float total, IEnumerable<(string Name, float Value)> stepParts)
    {
        Total.Add(total);
        foreach (var (name, value) in stepParts) parts[name].Add(value);
    }

    /// <summary>The last step's total loss, or NaN before the first step.</summary>
    public float Last => Total.Count > 0 ? Total[^1] : float.NaN;
}
