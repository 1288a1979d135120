using System.Diagnostics;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Training;

/// <summary>
/// The floor under an epoch of Problem 2: the matrix products of one epoch alone, timed with the same libtorch, threads
/// and device as the training. Per batch, every Linear layer's forward product Y = X W^T and backward products
/// dW = dY^T X and dX = dY W, except the first layer's dX (the images need no gradient, so autograd skips it).
/// Biases, activations, the loss and Adam are left out: an epoch's time over this floor is what the rest of a step costs.
/// </summary>
public static class EpochFloor
{
    /// <summary>
    /// Median seconds, over <paramref name="repetitions"/> passes after one warm-up pass, of the products of an epoch of
    /// <paramref name="samples"/> images in batches of <paramref name="batchSize"/> (the last one short) through the
    /// Linear layers of <paramref name="model"/>, on random fp32 tensors on <paramref name="device"/>.
    /// </summary>
    public static double Measure(AutoEncoder model, Device device, int samples, int batchSize = TrainingDefaults.BatchSize, int repetitions = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var shapes = model.modules().OfType<Linear>().Select(l => (In: l.in_features, Out: l.out_features)).ToArray();

        using var scope = NewDisposeScope();
        var weights = shapes.Select(s => randn(s.Out, s.In, device: device)).ToArray();
        var transposed = weights.Select(w => w.t()).ToArray();
        var full = new Operands(shapes, Math.Min(batchSize, samples), device);
        var last = samples % batchSize == 0 || samples < batchSize ? null : new Operands(shapes, samples % batchSize, device);
        int fullBatches = samples / Math.Min(batchSize, samples);

        void Epoch()
        {
            for (int b = 0; b < fullBatches; b++) Batch(full, weights, transposed);
            if (last is not null) Batch(last, weights, transposed);
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        }

        Epoch();
        var seconds = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            var clock = Stopwatch.StartNew();
            Epoch();
            seconds[r] = clock.Elapsed.TotalSeconds;
        }
        return Statistics.Median(seconds)!.Value;
    }

    /// <summary>One batch's products, their results freed with the batch as a training step's are.</summary>
    static void Batch(Operands operands, Tensor[] weights, Tensor[] transposed)
    {
        using var scope = NewDisposeScope();
        for (int l = 0; l < weights.Length; l++) mm(operands.Inputs[l], transposed[l]);
        for (int l = weights.Length - 1; l >= 0; l--)
        {
            mm(operands.OutputGradients[l].t(), operands.Inputs[l]);
            if (l > 0) mm(operands.OutputGradients[l], weights[l]);
        }
    }

    /// <summary>Each layer's input X [B, in] and output gradient dY [B, out] for batches of B images, allocated once.</summary>
    sealed class Operands((long In, long Out)[] shapes, long batch, Device device)
    {
        public Tensor[] Inputs { get; } = shapes.Select(s => randn(batch, s.In, device: device)).ToArray();
        public Tensor[] OutputGradients { get; } = shapes.Select(s => randn(batch, s.Out, device: device)).ToArray();
    }
}
