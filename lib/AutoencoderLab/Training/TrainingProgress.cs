namespace AutoencoderLab.Training;

/// <summary>
/// A progress report from the trainer, sent after every step (<see cref="EpochCompleted"/> false)
/// and once more at the end of each epoch (true). Reported synchronously on the training thread.
/// </summary>
/// <param name="Objective">Name of the objective being trained.</param>
/// <param name="Epoch">1-based epoch being trained (or just completed).</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Latest total loss.</param>
/// <param name="Elapsed">Training time so far in this process.</param>
/// <param name="Remaining">Estimated time to the end of the run.</param>
/// <param name="EpochCompleted">True for the end-of-epoch report.</param>
public sealed record TrainingProgress(string Objective, int Epoch, int Epochs, int Batch, int Batches, float Loss, TimeSpan Elapsed, TimeSpan Remaining, bool EpochCompleted);
