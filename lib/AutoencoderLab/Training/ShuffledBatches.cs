using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// The mini-batches of each epoch, reshuffled every epoch in <see cref="EpochOrder"/> (PyTorch's
/// <c>DataLoader(shuffle=True)</c> order for the seed): what a training loop written in a notebook iterates over,
/// and exactly what the library's <see cref="Trainer"/> visits. Each batch's tensors are freed when the loop moves on.
/// </summary>
public sealed class ShuffledBatches
{
    readonly Tensor images;
    readonly Tensor labels;
    readonly EpochOrder order;

    /// <summary>Batches of <paramref name="batchSize"/> from <paramref name="images"/> [N, 784] and <paramref name="labels"/> [N], in <paramref name="order"/>.</summary>
    public ShuffledBatches(Tensor images, Tensor labels, int batchSize, EpochOrder order)
    {
        if (images.dim() != 2 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"images must be [N, D] and labels [N], got [{string.Join(", ", images.shape)}] and [{string.Join(", ", labels.shape)}]");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.images = images;
        this.labels = labels;
        this.order = order;
        BatchSize = batchSize;
    }

    /// <summary>Images per batch (the last batch of an epoch may be short).</summary>
    public int BatchSize { get; }

    /// <summary>Images in the training set.</summary>
    public int Count => (int)images.shape[0];

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => (Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), in order.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var permutation = order.Permutation(epoch, Count);
        for (int start = 0; start < permutation.Length; start += BatchSize)
        {
            using var positions = tensor(permutation.AsSpan(start, Math.Min(BatchSize, permutation.Length - start)).ToArray(), device: images.device);
            var batch = new Batch(images.index_select(0, positions), labels.index_select(0, positions));
            try { yield return batch; }
            finally
            {
                // Made before the loop body's dispose scope, so that scope would not free them.
                batch.Images.Dispose();
                batch.Labels.Dispose();
            }
        }
    }
}
