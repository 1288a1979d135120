using AutoencoderLab.Data;
using AutoencoderLab.Runtime;

namespace AutoencoderLab.Training;

/// <summary>
/// Problem 4's class pair of each step: two different digits a1 != a2, uniform among ordered pairs. Step k's pair
/// comes from (seed, k) alone, so a run can be resumed anywhere and a notebook's loop draws the pairs the library's
/// <see cref="ContrastiveObjective"/> draws. <see cref="Draw"/> is the notebook's way: call it once per step.
/// </summary>
public sealed class ClassPairs(long seed, int classes = MnistDataset.Classes)
{
    long step;

    /// <summary>The pair of the next step.</summary>
    public (int A1, int A2) Draw() => OfStep(StepSeed(seed, step++), classes);

    /// <summary>The seed of step <paramref name="step"/>'s own randomness (0-based, counted over all epochs).</summary>
    public static long StepSeed(long seed, long step) => TorchSetup.Derive(seed, "contrastive", step);

    /// <summary>The pair drawn from a step's seed.</summary>
    public static (int A1, int A2) OfStep(long stepSeed, int classes = MnistDataset.Classes)
    {
        var random = new Random(unchecked((int)stepSeed ^ (int)(stepSeed >> 32)));
        int a1 = random.Next(classes);
        int a2 = random.Next(classes - 1);
        if (a2 >= a1) a2++;
        return (a1, a2);
    }
}
