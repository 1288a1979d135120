namespace AutoencoderLab.Reproduction;

/// <summary>The spread of the measures of one problem over the seeds.</summary>
/// <param name="LastEpochMeanLoss">Of the last epoch's mean loss.</param>
/// <param name="LastBatchLoss">Of the last batch's loss.</param>
/// <param name="LatentAccuracy">Of the latent nearest-centroid accuracy, %.</param>
/// <param name="AliveBottleneckUnits">Of the alive bottleneck units.</param>
/// <param name="Seconds">Of the training time.</param>
public sealed record SweepSummary(Spread LastEpochMeanLoss, Spread LastBatchLoss, Spread LatentAccuracy, Spread AliveBottleneckUnits, Spread Seconds)
{
    /// <summary>The summary of <paramref name="outcomes"/> (at least one).</summary>
    public static SweepSummary Of(IReadOnlyList<SeedOutcome> outcomes) => new(
        Spread.Of(outcomes.Select(o => o.LastEpochMeanLoss).ToList()),
        Spread.Of(outcomes.Select(o => o.LastBatchLoss).ToList()),
        Spread.Of(outcomes.Select(o => o.LatentAccuracy).ToList()),
        Spread.Of(outcomes.Select(o => (double)o.AliveBottleneckUnits).ToList()),
        Spread.Of(outcomes.Select(o => o.Seconds).ToList()));
}
