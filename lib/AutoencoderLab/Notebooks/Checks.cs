using AutoencoderLab.Classification;
using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The checks students run after each problem. Each returns a short confirmation when all is well and throws
/// <see cref="CheckFailedException"/> saying, in plain words, what is wrong and what was expected.
/// </summary>
public static class Checks
{
    /// <summary>The specification of Problem 1, block by block.</summary>
    public static IReadOnlyList<string> ExpectedEncoder { get; } = ["Linear(784, 1000)", "ReLU", "Linear(1000, 25)", "ReLU", "Linear(25, 50)"];

    /// <summary>The decoder of Problem 1.</summary>
    public static IReadOnlyList<string> ExpectedDecoder { get; } = ["ReLU", "Linear(50, 1000)", "ReLU", "Linear(1000, 784)"];

    static T Call<T>(string problem, string function, Func<T> call)
    {
        try { return call(); }
        catch (NotImplementedException)
        {
            throw new CheckFailedException($"{problem} is not done yet: {function} still throws NotImplementedException. Replace the '// YOUR CODE HERE' line and the throw below it with your code, run that cell, then this one.");
        }
        catch (Exception e) when (e is not CheckFailedException)
        {
            throw new CheckFailedException($"{problem}: {function} failed with {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Layer names of a block, e.g. <c>Linear(784, 1000)</c>, <c>ReLU</c>.</summary>
    public static IReadOnlyList<string> Describe(Sequential block) =>
        block.children().Select(m => m switch
        {
            Linear l => $"Linear({l.in_features}, {l.out_features})",
            ReLU => "ReLU",
            _ => m.GetType().Name,
        }).ToList();

    /// <summary>Problem 1: the encoder and decoder match the table, map 784 -> 50 -> 784, and have 1,647,109 parameters.</summary>
    public static string Architecture(Func<Sequential> buildEncoder, Func<Sequential> buildDecoder)
    {
        var encoder = Call("Problem 1", "BuildEncoder()", buildEncoder);
        var decoder = Call("Problem 1", "BuildDecoder()", buildDecoder);
        foreach (var (name, block, expected) in new[] { ("encoder", encoder, ExpectedEncoder), ("decoder", decoder, ExpectedDecoder) })
        {
            var actual = Describe(block);
            if (!actual.SequenceEqual(expected))
                throw new CheckFailedException($"Problem 1: the {name} has the layers [{string.Join(", ", actual)}] but the specification asks for [{string.Join(", ", expected)}].");
        }
        using var scope = NewDisposeScope();
        var z = encoder.call(zeros(2, AutoEncoder.InputSize));
        if (!z.shape.SequenceEqual([2L, AutoEncoder.LatentSize]))
            throw new CheckFailedException($"Problem 1: the encoder turns a batch [2, 784] into [{string.Join(", ", z.shape)}]; expected [2, 50].");
        var y = decoder.call(z);
        if (!y.shape.SequenceEqual([2L, AutoEncoder.InputSize]))
            throw new CheckFailedException($"Problem 1: the decoder turns [2, 50] into [{string.Join(", ", y.shape)}]; expected [2, 784].");
        long parameters = encoder.parameters().Concat(decoder.parameters()).Sum(p => p.numel());
        if (parameters != AutoEncoder.ExpectedParameters)
            throw new CheckFailedException($"Problem 1: the model has {parameters:N0} parameters; the specification's has {AutoEncoder.ExpectedParameters:N0}.");
        return $"Problem 1 looks right: encoder and decoder as specified, 784 -> 50 -> 784, {parameters:N0} parameters.";
    }

    /// <summary>Problem 2: the reconstruction loss is the mean squared error between a batch and its reconstruction.</summary>
    public static string ReconstructionLoss(Func<AutoEncoder, Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        using var model = new AutoEncoder(seed: 1);
        using var generator = new TorchSharp.torch.Generator(7);
        var images = rand([4, AutoEncoder.InputSize], generator: generator);
        var value = Call("Problem 2", "ReconstructionLoss(model, images)", () => loss(model, images));
        if (value.numel() != 1)
            throw new CheckFailedException($"Problem 2: the loss should be one number (the mean over the batch), got a tensor of shape [{string.Join(", ", value.shape)}].");
        double expected = nn.functional.mse_loss(model.call(images), images).item<float>();
        double actual = value.item<float>();
        if (Math.Abs(actual - expected) > 1e-6 * Math.Max(1, expected))
            throw new CheckFailedException($"Problem 2: on a fixed batch the loss is {actual:E6}; the mean squared error between the images and their reconstruction is {expected:E6}.");
        if (!value.requires_grad)
            throw new CheckFailedException("Problem 2: the loss carries no gradient, so backward() cannot train the model. Compute it from model.call(images), not from detached values.");
        return "Problem 2 loss looks right: the mean squared reconstruction error.";
    }

    /// <summary>Problem 2: one loss per batch, all finite, and falling.</summary>
    public static string LossHistory(IReadOnlyList<float> losses, int batchesPerEpoch, int epochs)
    {
        if (losses.Count != batchesPerEpoch * epochs)
            throw new CheckFailedException($"Problem 2: {losses.Count} losses were recorded; one per batch means {batchesPerEpoch} x {epochs} = {batchesPerEpoch * epochs}.");
        int bad = losses.ToList().FindIndex(l => !float.IsFinite(l));
        if (bad >= 0) throw new CheckFailedException($"Problem 2: loss {bad + 1} is {losses[bad]}; every loss should be a finite number.");
        int window = Math.Max(1, Math.Min(batchesPerEpoch, losses.Count / 4));
        double first = losses.Take(window).Average(), last = losses.TakeLast(window).Average();
        if (!(last < first))
            throw new CheckFailedException($"Problem 2: the loss does not fall (first {window} batches average {first:E3}, last {window} {last:E3}). Is the optimiser stepping on the model's parameters?");
        return $"Problem 2 looks right: {losses.Count} losses, falling from {first:E3} to {last:E3}.";
    }

    /// <summary>Problem 3: the pixel-space accuracy is exactly 82.03 % and the latent one matches the library's classifier on the same model.</summary>
    public static string Accuracies(Func<double> pixelAccuracy, Func<double> latentAccuracy, AutoEncoder model, MnistDataset data)
    {
        double pixels = Call("Problem 3", "CentroidAccuracy on pixels", pixelAccuracy);
        if (Math.Abs(pixels - ReferenceFigures.OriginalAccuracy) > 1e-9)
            throw new CheckFailedException($"Problem 3: the pixel-space accuracy is {pixels:F4} %; it depends only on the data and must be exactly {ReferenceFigures.OriginalAccuracy:F2} %. Check the class means and the 2-norm distance.");
        double latent = Call("Problem 3", "CentroidAccuracy on latent codes", latentAccuracy);
        double reference = AssignmentRun.LatentSpaceAccuracy(model, data);
        if (Math.Abs(latent - reference) > 0.01)
            throw new CheckFailedException($"Problem 3: the latent-space accuracy is {latent:F2} %, but the library's nearest-centroid classifier gets {reference:F2} % on the same model.");
        return $"Problem 3 looks right: {pixels:F2} % in pixel space, {latent:F2} % in latent space.";
    }

    /// <summary>Problem 4: the contrastive loss on fixed inputs, and its independence of vector lengths.</summary>
    public static string ContrastiveLoss(Func<Tensor, Tensor, double, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var z = tensor(new float[] { 1, 0, 0, 3, 1, 1 }, [3, 2]);
        var zneg = tensor(new float[] { 2, 0, 1, 0, -1, -1 }, [3, 2]);
        const double expected = 0.9823344008819635; // mean(log(1 + e^2), log 2, log(1 + e^-2))
        double value = Call("Problem 4", "ContrastiveLossOf(z, zneg, 0.5)", () => loss(z, zneg, 0.5).item<float>());
        if (Math.Abs(value - expected) > 1e-4)
            throw new CheckFailedException($"Problem 4: for z = [[1,0],[0,3],[1,1]], zneg = [[2,0],[1,0],[-1,-1]] and tau = 0.5 the loss should be {expected:F6} (cosine similarities 1, 0, -1), got {value:F6}.");
        double scaled = Call("Problem 4", "ContrastiveLossOf", () => loss(z * 5, zneg * 0.2, 0.5).item<float>());
        if (Math.Abs(scaled - expected) > 1e-4)
            throw new CheckFailedException($"Problem 4: scaling z and zneg changed the loss ({expected:F6} -> {scaled:F6}); cosine similarity normalises both vectors first.");
        return $"Problem 4 loss looks right: {value:F6} on the fixed inputs.";
    }

    /// <summary>Problem 4: the first n of each class, n the smaller count, trimmed before pairing.</summary>
    public static string TrimRule(Func<long[], int, int, (long[] Anchors, long[] Negatives)> pairUp)
    {
        long[] labels = [1, 2, 1, 1, 2, 3, 1];
        var (anchors, negatives) = Call("Problem 4", "PairUp(labels, 1, 2)", () => pairUp(labels, 1, 2));
        if (!anchors.SequenceEqual([0L, 2]) || !negatives.SequenceEqual([1L, 4]))
            throw new CheckFailedException($"Problem 4: for labels [1,2,1,1,2,3,1], a1 = 1, a2 = 2 the pairs should be positions [0, 2] with [1, 4] (two 2s, so the first two 1s), got [{string.Join(", ", anchors)}] with [{string.Join(", ", negatives)}].");
        var (none, _) = Call("Problem 4", "PairUp(labels, 1, 9)", () => pairUp(labels, 1, 9));
        if (none.Length != 0)
            throw new CheckFailedException("Problem 4: when the batch has no sample of a2, there is nothing to pair: both arrays should be empty.");
        return "Problem 4 pairing looks right: trimmed to the smaller count before pairing.";
    }
}
