using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoencoderLab.Models;

/// <summary>
/// Problem 1: the MLP autoencoder of the assignment.
/// encoder: Linear(784, 1000), ReLU, Linear(1000, 25), ReLU, Linear(25, 50)  -> 50-d latent code
/// decoder: ReLU, Linear(50, 1000), ReLU, Linear(1000, 784)                   -> reconstruction
/// 1,647,109 parameters. Note the 25-wide bottleneck inside the encoder, then the widening to 50.
/// </summary>
public sealed class AutoEncoder : Module<Tensor, Tensor>
{
    /// <summary>Width of an input image (28 x 28 pixels, flattened).</summary>
    public const int InputSize = 784;
    /// <summary>Width of the latent code.</summary>
    public const int LatentSize = 50;
    /// <summary>Parameter count the specification gives.</summary>
    public const long ExpectedParameters = 1_647_109;

    // Field names are the submodule names (RegisterComponents uses them): state dicts read encoder.*, decoder.*.
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    /// <summary>
    /// Creates the model. With a <paramref name="seed"/>, the weights are drawn from a generator of their own
    /// (PyTorch's default Linear initialisation), so concurrent use of torch's global generator cannot change them.
    /// </summary>
    public AutoEncoder(long? seed = null) : base(nameof(AutoEncoder))
    {
        encoder = Sequential(
            ("linear1", Linear(InputSize, 1000)),
            ("relu1", ReLU()),
            ("linear2", Linear(1000, 25)),
            ("relu2", ReLU()),
            ("linear3", Linear(25, LatentSize)));
        decoder = Sequential(
            ("relu1", ReLU()),
            ("linear1", Linear(LatentSize, 1000)),
            ("relu2", ReLU()),
            ("linear2", Linear(1000, InputSize)));
        RegisterComponents();
        if (seed is { } s) ResetParameters(s);
    }

    /// <summary>A fresh model as every run and notebook starts it: <see cref="Initialise"/>d for <paramref name="seed"/> on <paramref name="device"/>.</summary>
    public static AutoEncoder Seeded(long seed, Device device) => new AutoEncoder().Initialise(seed, device);

    /// <summary>The model saved (TorchSharp's format) in <paramref name="weights"/>, on <paramref name="device"/>.</summary>
    public static AutoEncoder FromWeights(string weights, Device device)
    {
        var model = new AutoEncoder();
        model.load(weights);
        model.to(device);
        return model;
    }

    /// <summary>
    /// Initialises the weights as <c>torch.manual_seed(seed)</c> followed by the original's layer constructors does
    /// (the same draws in the same order), seeds libtorch's global generators for anything else, and moves the model to
    /// <paramref name="device"/>. The training's batch order continues that same stream (<see cref="Training.EpochOrder"/>).
    /// </summary>
    public AutoEncoder Initialise(long seed, Device device)
    {
        Runtime.TorchSetup.Seed(seed);
        ResetParameters(seed);
        this.to(device);
        return this;
    }

    /// <summary>
    /// Redraws every Linear layer's weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), which is what
    /// PyTorch's default initialisation (Kaiming-uniform with a = sqrt(5)) amounts to, from a generator seeded by <paramref name="seed"/>.
    /// </summary>
    public void ResetParameters(long seed)
    {
        using var generator = new Generator((ulong)seed);
        ResetParameters(generator);
    }

    /// <summary>Redraws every Linear layer's weights and biases from <paramref name="generator"/>, layer by layer, weight before bias.</summary>
    public void ResetParameters(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var layer in modules().OfType<Linear>())
        {
            double bound = 1.0 / Math.Sqrt(layer.in_features);
            layer.weight!.uniform_(-bound, bound, generator);
            layer.bias?.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>
    /// Wraps an encoder and a decoder built elsewhere (e.g. a student's Problem 1). They must map
    /// [B, 784] to [B, 50] and back; the notebooks' architecture check tells whether they match the specification.
    /// </summary>
    public AutoEncoder(Sequential encoder, Sequential decoder, long? seed = null) : base(nameof(AutoEncoder))
    {
        this.encoder = encoder;
        this.decoder = decoder;
        RegisterComponents();
        if (seed is { } s) ResetParameters(s);
    }

    /// <summary>The encoder block (784 -> 50).</summary>
    public Sequential Encoder => encoder;

    /// <summary>The decoder block (50 -> 784).</summary>
    public Sequential Decoder => decoder;

    /// <summary>Reconstructs a batch of flattened images: decode(encode(x)).</summary>
    public override Tensor forward(Tensor input) => decoder.call(encoder.call(input));

    /// <summary>The 50-d latent codes of a batch [B, 784] -> [B, 50].</summary>
    public Tensor Encode(Tensor images) => encoder.call(images);

    /// <summary>Images [B, 784] from latent codes [B, 50].</summary>
    public Tensor Decode(Tensor latent) => decoder.call(latent);

    /// <summary>Number of trainable parameters (1,647,109 for this architecture).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Latent codes of many images, in batches, without gradients; the result is on the model's device.
    /// </summary>
    public Tensor EncodeAll(Tensor images, int batchSize = 4096)
    {
        using var noGrad = no_grad();
        bool wasTraining = training;
        eval();
        try
        {
            var parts = new List<Tensor>();
            using (var scope = NewDisposeScope())
            {
                for (long start = 0; start < images.shape[0]; start += batchSize)
                    parts.Add(Encode(images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start))));
                return cat(parts, 0).MoveToOuterDisposeScope();
            }
        }
        finally { if (wasTraining) train(); }
    }
}
