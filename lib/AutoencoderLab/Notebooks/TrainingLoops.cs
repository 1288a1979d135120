using AutoencoderLab.Models;
using AutoencoderLab.Training;
using static TorchSharp.torch;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// Problem 2's training loop as a student writes it: every epoch over <paramref name="batches"/>, a step per batch,
/// every batch's loss recorded and returned; <paramref name="progress"/> after each epoch.
/// </summary>
public delegate List<float> ReconstructionLoop(AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches, int epochs, ProgressLine progress);

/// <summary>
/// Problem 4's training loop: as Problem 2's, plus the contrastive term of the class pair <paramref name="pairs"/> gives
/// each step; records (total, reconstruction, contrastive) per step.
/// </summary>
public delegate List<(float Total, float Reconstruction, float Contrastive)> ContrastiveLoop(
    AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches, ClassPairs pairs, int epochs, ProgressLine progress);
