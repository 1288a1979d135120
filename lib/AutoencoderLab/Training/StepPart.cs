namespace AutoencoderLab.Training;

/// <summary>The parts of a training step, in the order a <see cref="Trainer"/> runs them (<see cref="TimedTrainer"/> times each).</summary>
public enum StepPart
{
    /// <summary>The batch's images (and labels) gathered from the training set.</summary>
    Gather,
    /// <summary>The forward pass: the model's outputs and the objective's loss.</summary>
    Forward,
    /// <summary>The backward pass, the last gradients dropped first.</summary>
    Backward,
    /// <summary>Adam's step.</summary>
    Adam,
}
