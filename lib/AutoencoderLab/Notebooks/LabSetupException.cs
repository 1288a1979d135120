namespace AutoencoderLab.Notebooks;

/// <summary>
/// A notebook cell used the lab although the setup cell failed: says what failed there, instead of the
/// null reference a half-set-up kernel would give.
/// </summary>
public sealed class LabSetupException(string setupFailure)
    : AutoencoderLabException($"The setup cell did not finish: {setupFailure} Fix that and run the setup cell again, then this cell.");
