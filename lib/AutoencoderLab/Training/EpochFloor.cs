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
/// Timed right after each training epoch (<see cref="Time"/>), so that both see the machine at the same speed.
/// </summary>
public sealed class EpochFloor : IDisposable
{
    readonly Device device;
    readonly Tensor[] weights, transposed;
    readonly Operands full;
    readonly Operands? last;
    readonly int fullBatches;

    /// <summary>
    /// The products of an epoch of <paramref name="samples"/> images in batches of <paramref name="batchSize"/> (the last
    /// one short) through the Linear layers of <paramref name="model"/>, on random fp32 tensors on
    /// <paramref name="device"/>, allocated once; one warm-up pass is run here.
    /// </summary>
    public EpochFloor(AutoEncoder model, Device device, int samples, int batchSize = TrainingDefaults.BatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.device = device;
        var shapes = model.modules().OfType<Linear>().Select(l => (In: l.in_features, Out: l.out_features)).ToArray();
        using var scope = NewDisposeScope();
        weights = shapes.Select(s => randn(s.Out, s.In, device: device)).ToArray();
        transposed = weights.Select(w => w.t()).ToArray();
        full = new Operands(shapes, Math.Min(batchSize, samples), device);
        last = samples % batchSize == 0 || samples < batchSize ? null : new Operands(shapes, samples % batchSize, device);
        fullBatches = samples / Math.Min(batchSize, samples);
        foreach (var tensor in Owned) tensor.DetachFromDisposeScope(); // kept until Dispose
        Epoch();
    }

    /// <summary>Seconds of one pass over the epoch's products.</summary>
    public double Time()
    {
        var clock = Stopwatch.StartNew();
        Epoch();
        return clock.Elapsed.TotalSeconds;
    }

    IEnumerable<Tensor> Owned => weights.Concat(transposed).Concat(full.All).Concat(last?.All ?? []);

    void Epoch()
    {
        for (int b = 0; b < fullBatches; b++) Batch(full, weights, transposed);
        if (last is not null) Batch(last, weights, transposed);
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
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

    /// <summary>Frees the operands.</summary>
    public void Dispose()
    {
        foreach (var tensor in Owned) tensor.Dispose();
    }

    /// <summary>Each layer's input X [B, in] and output gradient dY [B, out] for batches of B images, allocated once.</summary>
    sealed class Operands((long In, long Out)[] shapes, long batch, Device device)
    {
        public Tensor[] Inputs { get; } = shapes.Select(s => randn(batch, s.In, device: device)).ToArray();
        public Tensor[] OutputGradients { get; } = shapes.Select(s => randn(batch, s.Out, device: device)).ToArray();
        public IEnumerable<Tensor> All => Inputs.Concat(OutputGradients);
    }
}
