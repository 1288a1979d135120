using AutoencoderLab.Models;
using AutoencoderLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Training;

/// <summary>
/// The trainer's <see cref="FusedAdam"/> against TorchSharp's <see cref="Adam"/> (libtorch's kernels), from the same
/// weights, moments and gradients: the moments to the bit, the weights but for the square root's last bit.
/// </summary>
public class FusedAdamTests
{
    const double LearningRate = 1e-3, WeightDecay = 1e-8;

    static Tensor Batch(long seed, ScalarType type = ScalarType.Float32)
    {
        using var generator = new Generator((ulong)seed);
        return rand(64, AutoEncoder.InputSize, generator: generator).to_type(type);
    }

    /// <summary>Back-propagates the batch's reconstruction loss through <paramref name="from"/> and gives <paramref name="to"/> the same gradients.</summary>
    static void SameGradients(AutoEncoder from, AutoEncoder to, Tensor images)
    {
        using var scope = NewDisposeScope();
        foreach (var p in from.parameters()) p.grad = null;
        nn.functional.mse_loss(from.call(images), images).backward();
        foreach (var (source, target) in from.parameters().Zip(to.parameters()))
        {
            using var gradient = source.grad!;
            target.grad = gradient.clone().DetachFromDisposeScope();
        }
    }

    static Adam.State[] States(OptimizerHelper optimizer) => optimizer.state_dict().State.Cast<Adam.State>().ToArray();

    static float[] Values(Tensor tensor) => tensor.to_type(ScalarType.Float32).data<float>().ToArray();

    [Fact]
    public void Each_step_gives_libtorch_s_moments_to_the_bit_and_its_weights_but_for_the_square_root_s_last_bit()
    {
        using var a = AutoEncoder.Seeded(3, CPU);
        using var b = AutoEncoder.Seeded(3, CPU);
        using var adam = optim.Adam(a.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        using var fused = new FusedAdam(b.parameters(), LearningRate, WeightDecay);
        long elements = 0, lastBits = 0;
        for (int step = 1; step <= 4; step++)
        {
            // b starts each step where a is: weights, moments, gradients (steps 1-4: four bias corrections).
            using (no_grad())
            {
                foreach (var (source, target) in a.parameters().Zip(b.parameters())) target.copy_(source);
                foreach (var (source, target) in States(adam).Zip(States(fused)))
                {
                    target.exp_avg.copy_(source.exp_avg);
                    target.exp_avg_sq.copy_(source.exp_avg_sq);
                }
            }
            using var images = Batch(step);
            SameGradients(a, b, images);
            adam.step();
            fused.step();

            foreach (var (source, target) in States(adam).Zip(States(fused)))
            {
                Assert.Equal(step, target.step);
                Assert.Equal(source.step, target.step);
                Assert.Equal(Values(source.exp_avg), Values(target.exp_avg));
                Assert.Equal(Values(source.exp_avg_sq), Values(target.exp_avg_sq));
            }
            foreach (var ((name, source), (_, target)) in a.named_parameters().Zip(b.named_parameters()))
            {
                float[] theirs = Values(source), ours = Values(target);
                for (int i = 0; i < theirs.Length; i++)
                {
                    if (theirs[i] == ours[i]) continue;
                    lastBits++;
                    // One ulp of a square root moves an update of at most lr / (1 - b1^t) = 1e-2 by ~1e-9, and the sum's
                    // rounding by up to an ulp of the weight.
                    double allowed = MathF.BitIncrement(Math.Abs(theirs[i])) - Math.Abs(theirs[i]) + 2e-9;
                    Assert.True(Math.Abs(theirs[i] - ours[i]) <= allowed, $"step {step}, {name}[{i}]: libtorch {theirs[i]:R}, fused {ours[i]:R}");
                }
                elements += theirs.Length;
            }
        }
        Assert.True(lastBits < elements / 200, $"{lastBits} of {elements} weights differ in their last bits");
    }

    [Fact]
    public void Its_state_is_Adam_s_so_checkpoints_load_either_way()
    {
        using var a = AutoEncoder.Seeded(4, CPU);
        using var b = AutoEncoder.Seeded(4, CPU);
        using var fused = new FusedAdam(a.parameters(), LearningRate, WeightDecay);
        using var adam = optim.Adam(b.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        for (int step = 1; step <= 3; step++)
        {
            using var images = Batch(10 + step);
            SameGradients(a, b, images);
            fused.step();
            adam.step();
        }
        Assert.Contains(States(fused), s => Values(s.exp_avg).Any(v => v != 0)); // the moments really moved

        // Ours into TorchSharp's Adam (as earlier versions of aelab read checkpoints)...
        using var intoAdam = optim.Adam(a.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        using (var reader = new BinaryReader(new MemoryStream(fused.SaveState()))) intoAdam.load_state_dict(reader);
        AssertSameStates(States(fused), States(intoAdam));

        // ...and a checkpoint of TorchSharp's Adam (earlier versions) into ours.
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) adam.save_state_dict(writer);
        using var intoFused = new FusedAdam(b.parameters(), LearningRate, WeightDecay);
        intoFused.LoadState(saved.ToArray());
        AssertSameStates(States(adam), States(intoFused));

        // Another optimiser's state is refused, saying what it is.
        using var sgd = optim.SGD(b.parameters(), LearningRate);
        using var other = new MemoryStream();
        using (var writer = new BinaryWriter(other, System.Text.Encoding.UTF8, leaveOpen: true)) sgd.save_state_dict(writer);
        Assert.Contains("'SGD'", Assert.Throws<InvalidDataException>(() => intoFused.LoadState(other.ToArray())).Message);
        Assert.Throws<InvalidDataException>(() => intoFused.LoadState([]));
    }

    static void AssertSameStates(Adam.State[] expected, Adam.State[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        foreach (var (source, target) in expected.Zip(actual))
        {
            Assert.Equal(3, target.step);
            Assert.Equal(Values(source.exp_avg), Values(target.exp_avg));
            Assert.Equal(Values(source.exp_avg_sq), Values(target.exp_avg_sq));
        }
    }

    [Fact]
    public void Off_its_fast_path_it_is_Adam_to_the_bit()
    {
        // fp64 weights are not fused: the step is TorchSharp's own.
        using var a = AutoEncoder.Seeded(5, CPU);
        using var b = AutoEncoder.Seeded(5, CPU);
        a.to(ScalarType.Float64);
        b.to(ScalarType.Float64);
        using var adam = optim.Adam(a.parameters(), lr: LearningRate, weight_decay: WeightDecay);
        using var fused = new FusedAdam(b.parameters(), LearningRate, WeightDecay);
        for (int step = 1; step <= 3; step++)
        {
            using var images = Batch(20 + step, ScalarType.Float64);
            SameGradients(a, b, images);
            adam.step();
            fused.step();
        }
        foreach (var (source, target) in a.parameters().Zip(b.parameters()))
            Assert.Equal(source.data<double>().ToArray(), target.data<double>().ToArray());
    }
}
