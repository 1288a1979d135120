namespace AutoencoderLab.Notebooks;

/// <summary>A step of a training loop left out: what the checks compare a student's loop against to name the mistake.</summary>
public enum LoopFault
{
    /// <summary>Nothing left out.</summary>
    None,
    /// <summary><c>optimizer.zero_grad()</c> never called: gradients pile up.</summary>
    NoZeroGrad,
    /// <summary><c>loss.backward()</c> never called: no gradients.</summary>
    NoBackward,
    /// <summary><c>optimizer.step()</c> never called: the weights never move.</summary>
    NoStep,
}
