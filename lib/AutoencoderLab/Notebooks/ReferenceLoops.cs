using AutoencoderLab.Models;
using AutoencoderLab.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The library's own versions of the training loops students write in notebooks 02 and 04: the instructor solutions,
/// the stand-ins when a problem is left blank, and (with a <see cref="LoopFault"/>) the wrong loops the checks
/// recognise. They visit the batches and draw the class pairs exactly as <see cref="Trainer"/> does.
/// </summary>
public static class ReferenceLoops
{
    /// <summary>Problem 2: MSE between each batch and its reconstruction, one Adam step per batch.</summary>
    public static List<float> Reconstruction(AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches, int epochs, ProgressLine? progress, LoopFault fault = LoopFault.None)
    {
        var losses = new List<float>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (images, _) in batches.Epoch(epoch))
            {
                using var scope = NewDisposeScope();
                var loss = mse_loss(model.call(images), images);
                Update(optimizer, loss, fault);
                losses.Add(loss.item<float>());
            }
            progress?.Report(epoch + 1, losses[^1]);
        }
        return losses;
    }

    /// <summary>Problem 4: the reconstruction loss plus the contrastive term of the step's class pair, trimmed and paired as <see cref="ContrastiveObjective.TrimAndPair"/> does.</summary>
    public static List<(float Total, float Reconstruction, float Contrastive)> Contrastive(
        AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches, ClassPairs pairs, int epochs, ProgressLine? progress, LoopFault fault = LoopFault.None)
    {
        var losses = new List<(float, float, float)>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (images, labels) in batches.Epoch(epoch))
            {
                using var scope = NewDisposeScope();
                var z = model.Encode(images);
                var mse = mse_loss(model.Decode(z), images);
                var (a1, a2) = pairs.Draw();
                var positive = z[labels == a1];
                var negative = z[labels == a2];
                long n = Math.Min(positive.shape[0], negative.shape[0]);
                var contrastive = n > 0 ? ContrastiveLoss.Compute(positive[..(int)n], negative[..(int)n]) : zeros([], device: z.device);
                var loss = mse + contrastive;
                Update(optimizer, loss, fault);
                losses.Add((loss.item<float>(), mse.item<float>(), contrastive.item<float>()));
            }
            progress?.Report(epoch + 1, losses[^1].Item1);
        }
        return losses;
    }

    static void Update(optim.Optimizer optimizer, Tensor loss, LoopFault fault)
    {
        if (fault != LoopFault.NoZeroGrad) optimizer.zero_grad();
        if (fault != LoopFault.NoBackward) loss.backward();
        if (fault != LoopFault.NoStep) optimizer.step();
    }
}
