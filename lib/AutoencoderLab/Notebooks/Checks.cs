using AutoencoderLab.Classification;
using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// The checks students run after each problem, in seconds, before any long training. Each returns a short
/// confirmation when all is well and throws <see cref="CheckFailedException"/> saying, in plain words, what is wrong
/// and what was expected. Training loops are run on a small part of MNIST and compared, step by step, with the
/// library's <see cref="ReferenceLoops"/> and with the usual mistakes (a step left out), so a mistake is named.
/// </summary>
public static class Checks
{
    /// <summary>The specification of Problem 1, block by block.</summary>
    public static IReadOnlyList<string> ExpectedEncoder { get; } = ["Linear(784, 1000)", "ReLU", "Linear(1000, 25)", "ReLU", "Linear(25, 50)"];

    /// <summary>The decoder of Problem 1.</summary>
    public static IReadOnlyList<string> ExpectedDecoder { get; } = ["ReLU", "Linear(50, 1000)", "ReLU", "Linear(1000, 784)"];

    const double Tolerance = 1e-3; // relative, per step: float summation order may differ, a mistake differs far more

    /// <summary>
    /// Runs <paramref name="call"/> (a student's function, or a whole part of a check when <paramref name="problem"/> is
    /// null) and turns what it throws into a <see cref="CheckFailedException"/> a student can act on.
    /// </summary>
    static T Call<T>(string? problem, string? function, Func<T> call)
    {
        try { return call(); }
        catch (NotImplementedException)
        {
            string open = problem is null ? "Not done yet: a function this check calls" : $"{problem} is not done yet: {function}";
            throw new CheckFailedException($"{open} still throws NotImplementedException. Replace the '// YOUR CODE HERE' line and the throw below it with your code, run that cell, then this one.");
        }
        catch (Exception e) when (e is not CheckFailedException and not OutOfMemoryException)
        {
            throw new CheckFailedException(problem is null ? $"{e.GetType().Name}: {e.Message}" : $"{problem}: {function} failed with {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// A check made of parts, each worth the same share of the cell's points: runs every part, even after one fails,
    /// and returns their confirmations, one a line, when all pass. Otherwise throws a <see cref="CheckFailedException"/>
    /// that names each failed part ("part 2 of 3: ...") and ends with the marker line
    /// <c>[passed of total parts passed]</c> (<see cref="CheckFailedException.PartsIn"/>). A part fails with the message
    /// of the <see cref="CheckFailedException"/> it throws, with the "not done yet" advice when it throws
    /// <see cref="NotImplementedException"/>, and with "Type: message" for any other exception. A check of a single
    /// part fails with that part's message as it is (no numbering, no marker: all or nothing anyway).
    /// </summary>
    /// <param name="parts">The parts, usually <c>() =&gt; Checks.X(...)</c>.</param>
    public static string Parts(params Func<string>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("A check needs at least one part.", nameof(parts));
        var confirmations = new List<string>();
        var failures = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i] ?? throw new ArgumentNullException(nameof(parts), $"Part {i + 1} of {parts.Length} is null.");
            try { confirmations.Add(Call(null, null, part)); }
            catch (CheckFailedException e)
            {
                if (parts.Length == 1) throw;
                failures.Add($"part {i + 1} of {parts.Length}: {e.Message}");
            }
        }
        if (failures.Count == 0) return string.Join("\n", confirmations);
        return failures.Count == 1
            ? throw new CheckFailedException(failures[0], confirmations.Count, parts.Length)
            : throw new CheckFailedException($"{failures.Count} of {parts.Length} parts failed:\n{string.Join("\n", failures)}", confirmations.Count, parts.Length);
    }

    static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= Tolerance * Math.Max(Math.Abs(expected), 1e-3);

    static int FirstDifference(IReadOnlyList<float> actual, IReadOnlyList<float> expected) =>
        Enumerable.Range(0, Math.Min(actual.Count, expected.Count)).FirstOrDefault(i => !Close(actual[i], expected[i]), -1);

    // ---- Problem 1 ----

    /// <summary>Problem 1: the encoder and decoder match the table, map 784 -> 50 -> 784, and have 1,647,109 parameters.</summary>
    public static string Architecture(Func<Sequential> buildEncoder, Func<Sequential> buildDecoder)
    {
        var encoder = Call("Problem 1", "BuildEncoder()", buildEncoder);
        var decoder = Call("Problem 1", "BuildDecoder()", buildDecoder);
        foreach (var (name, block, expected) in new[] { ("encoder", encoder, ExpectedEncoder), ("decoder", decoder, ExpectedDecoder) })
        {
            var actual = Problem1Blocks.Describe(block).Select(l => l.Layer).ToList();
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

    /// <summary>
    /// Problem 1: the encoder's last linear layer makes a latent code 50 wide, and each call of
    /// <paramref name="buildEncoder"/> and <paramref name="buildDecoder"/> builds a new block (not one shared block).
    /// </summary>
    public static string FreshBlocks(Func<Sequential> buildEncoder, Func<Sequential> buildDecoder)
    {
        var encoder = Call("Problem 1", "BuildEncoder()", buildEncoder);
        var last = encoder.children().OfType<Linear>().LastOrDefault()
                   ?? throw new CheckFailedException("Problem 1: the encoder has no Linear layer; its last one must make the latent code, 50 wide.");
        if (last.out_features != AutoEncoder.LatentSize)
            throw new CheckFailedException($"Problem 1: the encoder's last Linear layer makes a latent code {last.out_features} wide; it must be {AutoEncoder.LatentSize} wide.");
        foreach (var (function, build) in new[] { ("BuildEncoder()", buildEncoder), ("BuildDecoder()", buildDecoder) })
            if (ReferenceEquals(Call("Problem 1", function, build), Call("Problem 1", function, build)))
                throw new CheckFailedException($"Problem 1: two calls of {function} return the same block; each call must build a new one (return a new Sequential(...)).");
        return $"Problem 1 blocks look right: a latent code {AutoEncoder.LatentSize} wide, and each call builds new blocks.";
    }

    // ---- Problem 2 ----

    sealed record LoopRun<T>(List<T> Losses, AutoEncoder Model, int Reports, int BatchesPerEpoch);

    static LoopRun<T> RunLoop<T>(Func<AutoEncoder, optim.Optimizer, ShuffledBatches, ProgressLine, List<T>> loop, MnistDataset data, int samples, int batchSize, long seed, int epochs)
    {
        var model = AutoEncoder.Seeded(seed, data.Device);
        var batches = new ShuffledBatches(data.TrainImages[..samples], data.TrainLabels[..samples], batchSize, new EpochOrder(seed, model.ParameterCount));
        int reports = 0;
        using var optimizer = Lab.NewOptimizer(model);
        var losses = loop(model, optimizer, batches, new ProgressLine("check", epochs, _ => reports++, headless: false));
        return new LoopRun<T>(losses, model, reports, batches.BatchesPerEpoch);
    }

    static bool WeightsMoved(AutoEncoder model, long seed)
    {
        using var scope = NewDisposeScope();
        using var fresh = AutoEncoder.Seeded(seed, CPU);
        return model.parameters().Zip(fresh.parameters()).Any(p => !p.First.cpu().allclose(p.Second, 0, 0));
    }

    static bool HasGradients(AutoEncoder model) =>
        model.parameters().Any(p => p.grad is { } g && g.abs().sum().item<float>() > 0);

    static string FaultMessage(string problem, LoopFault fault, AutoEncoder model) => fault switch
    {
        LoopFault.NoZeroGrad => $"{problem}: your losses are those of a loop that never resets the gradients, so each step adds up all earlier gradients. Call optimizer.zero_grad() in every step, before loss.backward().",
        _ when HasGradients(model) => $"{problem}: the weights never change although gradients were computed: call optimizer.step() after loss.backward() in every step.",
        _ => $"{problem}: the weights never change and no gradients were computed: call loss.backward() (then optimizer.step()) in every step.",
    };

    /// <summary>
    /// Problem 2: the training loop, run for <paramref name="epochs"/> epochs on the first <paramref name="samples"/>
    /// training images in batches of <paramref name="batchSize"/>, must record one loss per batch, report progress
    /// after each epoch, and compute, step by step, what the reference loop computes from the same weights and batches.
    /// </summary>
    public static string TrainingLoop(ReconstructionLoop loop, MnistDataset data, int samples = 2048, int batchSize = 256, long seed = 5, int epochs = 2)
    {
        using var scope = NewDisposeScope();
        var yours = Call("Problem 2", "TrainModel(...)", () => RunLoop((m, o, b, p) => loop(m, o, b, epochs, p), data, samples, batchSize, seed, epochs));
        var expected = RunLoop((m, o, b, p) => ReferenceLoops.Reconstruction(m, o, b, epochs, p), data, samples, batchSize, seed, epochs);
        var losses = yours.Losses ?? throw new CheckFailedException("Problem 2: TrainModel returned null; return the list of every batch's loss.");
        int count = expected.Losses.Count;
        if (losses.Count == epochs && count != epochs)
            throw new CheckFailedException($"Problem 2: {losses.Count} losses for {epochs} epochs: record every batch's loss (losses.Add(loss.item<float>()) inside the batch loop), not one per epoch.");
        if (losses.Count != count)
            throw new CheckFailedException($"Problem 2: {losses.Count} losses were recorded; one per batch means {epochs} epochs x {yours.BatchesPerEpoch} batches = {count}.");
        int bad = losses.FindIndex(l => !float.IsFinite(l));
        if (bad >= 0) throw new CheckFailedException($"Problem 2: loss {bad + 1} is {losses[bad]}; every loss should be a finite number.");
        if (!Close(losses[0], expected.Losses[0]))
            throw new CheckFailedException($"Problem 2: the first batch's loss is {losses[0]:E6}, but the mean squared error between that batch and its reconstruction is {expected.Losses[0]:E6}. " +
                                           "Use functional.mse_loss(model.call(images), images) on the batches of batches.Epoch(epoch), in their order.");
        int differs = FirstDifference(losses, expected.Losses);
        if (differs >= 0)
        {
            foreach (var fault in new[] { LoopFault.NoZeroGrad, LoopFault.NoBackward, LoopFault.NoStep })
            {
                var faulty = RunLoop((m, o, b, p) => ReferenceLoops.Reconstruction(m, o, b, epochs, p, fault), data, samples, batchSize, seed, epochs);
                if (FirstDifference(losses, faulty.Losses) < 0) throw new CheckFailedException(FaultMessage("Problem 2", fault, yours.Model));
            }
            if (!WeightsMoved(yours.Model, seed)) throw new CheckFailedException(FaultMessage("Problem 2", LoopFault.NoStep, yours.Model));
            throw new CheckFailedException($"Problem 2: from step {differs + 1} on, your losses differ from the reference loop's ({losses[differs]:E6} instead of {expected.Losses[differs]:E6}). " +
                                           "Each step: loss of the batch, optimizer.zero_grad(), loss.backward(), optimizer.step(), in that order, once per batch.");
        }
        if (yours.Reports < epochs)
            throw new CheckFailedException($"Problem 2: progress was reported {yours.Reports} time(s) in {epochs} epochs: call progress.Report(epoch + 1, losses[^1]) at the end of every epoch.");
        return $"Problem 2 loop looks right: {count} losses over {epochs} epochs of {yours.BatchesPerEpoch} batches, equal step by step to the reference loop's (from {losses[0]:E3} to {losses[^1]:E3}).";
    }

    // ---- Problem 3 ----

    static (Tensor Vectors, Tensor Labels) Synthetic(long seed, int dimensions, int[] counts)
    {
        using var generator = new Generator((ulong)seed);
        var labels = cat(counts.Select((n, c) => full(n, c, ScalarType.Int64)).ToList());
        var order = randperm(labels.shape[0], generator: generator);
        var vectors = randn([labels.shape[0], dimensions], generator: generator) + labels.to_type(ScalarType.Float32).unsqueeze(1);
        return (vectors[order], labels[order]);
    }

    /// <summary>
    /// Problem 3, part 1: <paramref name="centroids"/>(vectors, labels) returns the ten class means [10, D], row c the mean
    /// of the vectors labelled c, on made-up vectors of <paramref name="dimensions"/> with unequal class counts.
    /// </summary>
    public static string Centroids(Func<Tensor, Tensor, Tensor> centroids, long seed = 3, int dimensions = 3, int[]? counts = null)
    {
        using var scope = NewDisposeScope();
        counts ??= [5, 3, 8, 2, 6, 4, 7, 1, 9, 5];
        var (vectors, labels) = Synthetic(seed, dimensions, counts);
        using var reference = NearestCentroid.Fit(vectors, labels);
        var yours = Call("Problem 3", "ClassCentroids(vectors, labels)", () => centroids(vectors, labels));
        if (!yours.shape.SequenceEqual([MnistDataset.Classes, (long)dimensions]))
            throw new CheckFailedException($"Problem 3: for {vectors.shape[0]} vectors of {dimensions} numbers ClassCentroids returns [{string.Join(", ", yours.shape)}]; expected [{MnistDataset.Classes}, {dimensions}], one row per digit.");
        var difference = (yours.to_type(ScalarType.Float64).cpu() - reference.Centroids.cpu()).abs().amax(1);
        for (int c = 0; c < MnistDataset.Classes; c++)
            if (!(difference[c].item<double>() < 1e-5))
                throw new CheckFailedException($"Problem 3: row {c} of your centroids is not the mean of the {counts[c]} vectors labelled {c} (off by {difference[c].item<double>():G3}). Average only the rows whose label is {c}.");
        return $"Problem 3 centroids look right: the ten class means of {vectors.shape[0]} vectors of {dimensions} numbers.";
    }

    /// <summary>
    /// Problem 3, part 2: <paramref name="accuracy"/>(centroids, vectors, labels) gives the percentage of vectors whose
    /// nearest centroid (2-norm) has their label, on made-up data and on MNIST pixels, where with your centroids it
    /// must come out at exactly 82.03 %.
    /// </summary>
    public static string Accuracy(Func<Tensor, Tensor, Tensor> centroids, Func<Tensor, Tensor, Tensor, double> accuracy, MnistDataset data, long seed = 3, int dimensions = 3)
    {
        using var scope = NewDisposeScope();
        var (vectors, labels) = Synthetic(seed, dimensions, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
        using var made = NearestCentroid.Fit(vectors, labels);
        double expected = made.Accuracy(vectors, labels);
        double yours = Call("Problem 3", "NearestCentroidAccuracy(centroids, vectors, labels)", () => accuracy(made.Centroids.to_type(ScalarType.Float32), vectors, labels));
        if (Math.Abs(yours - expected) > 1e-9)
        {
            double share = expected / 100;
            throw new CheckFailedException(Math.Abs(yours - share) < 1e-9
                ? $"Problem 3: the accuracy should be a percentage ({expected:F2}), not a share ({share:F4}): multiply by 100."
                : $"Problem 3: on {vectors.shape[0]} made-up vectors your accuracy is {yours:F2} %, the nearest-centroid rule gives {expected:F2} %. Assign each vector the digit of the nearest centroid (torch.cdist, then argmin over the centroids).");
        }
        var pixelCentroids = Call("Problem 3", "ClassCentroids(pixels, labels)", () => centroids(data.TrainImages, data.TrainLabels));
        double pixels = Call("Problem 3", "NearestCentroidAccuracy on pixels", () => accuracy(pixelCentroids, data.TestImages, data.TestLabels));
        if (Math.Abs(pixels - ReferenceResults.OriginalAccuracy) > 1e-9)
            throw new CheckFailedException($"Problem 3: in pixel space your classifier gets {pixels:F4} %; it depends only on the data and must be exactly {ReferenceResults.OriginalAccuracy:F2} %. Compute the means in float64.");
        return $"Problem 3 accuracy looks right: {expected:F2} % on made-up vectors, {pixels:F2} % on MNIST pixels.";
    }

    /// <summary>Problem 3: your latent-space accuracy equals the library's nearest-centroid classifier on the same model.</summary>
    public static string LatentAccuracy(double yours, AutoEncoder model, MnistDataset data)
    {
        switch (Lab.UsedReference("Problem 3"))
        {
            case true:
                throw new CheckFailedException("Problem 3 is not done yet: this accuracy is the library's reference classifier's, because ClassCentroids or NearestCentroidAccuracy still throws NotImplementedException. Replace the '// YOUR CODE HERE' line and the throw below it with your code, run the cells above again, then this one.");
            case false:
                throw new CheckFailedException("Problem 3: this accuracy is the library's reference classifier's, because your ClassCentroids or NearestCentroidAccuracy failed in the cell above (see its message). Make them work, run that cell again, then this one.");
        }
        double reference = CentroidAccuracy.InLatentSpace(model, data);
        if (Math.Abs(yours - reference) > 0.01)
            throw new CheckFailedException($"Problem 3: your latent-space accuracy is {yours:F2} %, but the nearest-centroid rule gets {reference:F2} % on the same model's codes of the same images.");
        return $"Problem 3 latent accuracy looks right: {yours:F2} %.";
    }

    // ---- Problem 4 ----

    /// <summary>
    /// Problem 4: the training loop with the contrastive term, run like Problem 2's check, must record (total,
    /// reconstruction, contrastive) per step and compute what the reference loop computes with the same class pairs:
    /// the term is 0 when the batch lacks a1 or a2, and both classes are trimmed and paired (<see cref="ContrastiveObjective.TrimAndPair"/>) before the loss.
    /// </summary>
    public static string ContrastiveLoop(ContrastiveLoop loop, MnistDataset data, int samples = 2048, int batchSize = 256, long seed = 5, int epochs = 2)
    {
        using var scope = NewDisposeScope();
        var yours = Call("Problem 4", "TrainContrastive(...)", () => RunLoop((m, o, b, p) => loop(m, o, b, new ClassPairs(seed), epochs, p), data, samples, batchSize, seed, epochs));
        var expected = RunLoop((m, o, b, p) => ReferenceLoops.Contrastive(m, o, b, new ClassPairs(seed), epochs, p), data, samples, batchSize, seed, epochs);
        var losses = yours.Losses ?? throw new CheckFailedException("Problem 4: TrainContrastive returned null; return the list of every step's (total, reconstruction, contrastive).");
        int count = expected.Losses.Count;
        if (losses.Count != count)
            throw new CheckFailedException($"Problem 4: {losses.Count} steps were recorded; one per batch means {epochs} epochs x {yours.BatchesPerEpoch} batches = {count}.");
        int bad = losses.FindIndex(l => !float.IsFinite(l.Total) || !float.IsFinite(l.Reconstruction) || !float.IsFinite(l.Contrastive));
        if (bad >= 0) throw new CheckFailedException($"Problem 4: step {bad + 1} recorded {losses[bad]}; every loss should be a finite number (an empty class gives a NaN mean: the term is 0 then).");
        int unsummed = losses.FindIndex(l => !Close(l.Total, l.Reconstruction + l.Contrastive));
        if (unsummed >= 0)
            throw new CheckFailedException($"Problem 4: at step {unsummed + 1} the total {losses[unsummed].Total:E6} is not reconstruction + contrastive ({losses[unsummed].Reconstruction:E6} + {losses[unsummed].Contrastive:E6}): the loss of a step is mse + loss_ctr.");
        if (!Close(losses[0].Reconstruction, expected.Losses[0].Reconstruction))
            throw new CheckFailedException($"Problem 4: the first batch's reconstruction loss is {losses[0].Reconstruction:E6}, expected {expected.Losses[0].Reconstruction:E6}: functional.mse_loss(model.Decode(z), images) with z = model.Encode(images).");
        if (losses.All(l => l.Contrastive == 0) && expected.Losses.Any(l => l.Contrastive != 0))
            throw new CheckFailedException("Problem 4: the contrastive term is 0 at every step: compute contrastive_loss(z of the a1 samples, z of the a2 samples) whenever the batch holds both classes, and add it to the MSE.");
        int differs = FirstDifference(losses.Select(l => l.Total).ToList(), expected.Losses.Select(l => l.Total).ToList());
        if (differs >= 0)
        {
            foreach (var fault in new[] { LoopFault.NoZeroGrad, LoopFault.NoBackward, LoopFault.NoStep })
            {
                var faulty = RunLoop((m, o, b, p) => ReferenceLoops.Contrastive(m, o, b, new ClassPairs(seed), epochs, p, fault), data, samples, batchSize, seed, epochs);
                if (FirstDifference(losses.Select(l => l.Total).ToList(), faulty.Losses.Select(l => l.Total).ToList()) < 0)
                    throw new CheckFailedException(FaultMessage("Problem 4", fault, yours.Model));
            }
            var (a1, a2, n1, n2) = StepPair(data, samples, batchSize, seed, differs);
            var (mine, theirs) = (losses[differs], expected.Losses[differs]);
            string why = n1 == 0 || n2 == 0
                ? $"the batch holds no {(n1 == 0 ? a1 : a2)}, so the contrastive term must be 0"
                : n1 != n2
                    ? $"the batch holds {n1} images of {a1} and {n2} of {a2}: keep the first {Math.Min(n1, n2)} codes of each before contrastive_loss"
                    : $"expected contrastive_loss(z of the {n1} images of {a1}, z of the {n2} images of {a2}) = {theirs.Contrastive:E6}";
            throw new CheckFailedException($"Problem 4: step {differs + 1} (a1 = {a1}, a2 = {a2}) records contrastive {mine.Contrastive:E6} and total {mine.Total:E6}, expected {theirs.Contrastive:E6} and {theirs.Total:E6}: {why}. " +
                                           "Draw the pair with pairs.Draw() once per step; then zero_grad, backward, step as in Problem 2.");
        }
        if (yours.Reports < epochs)
            throw new CheckFailedException($"Problem 4: progress was reported {yours.Reports} time(s) in {epochs} epochs: call progress.Report(epoch + 1, losses[^1].Total) at the end of every epoch.");
        int paired = expected.Losses.Count(l => l.Contrastive != 0);
        return $"Problem 4 loop looks right: {count} steps equal to the reference loop's, {paired} of them with a contrastive term.";
    }

    static (int A1, int A2, long N1, long N2) StepPair(MnistDataset data, int samples, int batchSize, long seed, int step)
    {
        var batches = new ShuffledBatches(data.TrainImages[..samples], data.TrainLabels[..samples], batchSize, new EpochOrder(seed, AutoEncoder.ExpectedParameters));
        var (a1, a2) = ClassPairs.OfStep(ClassPairs.StepSeed(seed, step));
        int index = 0;
        foreach (var batch in batches.Epoch(step / batches.BatchesPerEpoch))
            if (index++ == step % batches.BatchesPerEpoch)
                return (a1, a2, (batch.Labels == a1).sum().item<long>(), (batch.Labels == a2).sum().item<long>());
        throw new ArgumentOutOfRangeException(nameof(step));
    }
}
