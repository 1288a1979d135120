using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>MNIST loaded once for the checks.</summary>
public sealed class CheckData
{
    public MnistDataset Data { get; } = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
}

/// <summary>
/// The checks that grade students: each passes on the reference answer and fails, saying what is wrong, on the usual
/// mistakes. The wrong answers are written here as a student would write them in the notebook.
/// </summary>
public class ChecksTests(CheckData fixture) : IClassFixture<CheckData>
{
    readonly MnistDataset data = fixture.Data;

    static string Fails(Func<string> check) => Assert.Throws<CheckFailedException>(check).Message;

    [Fact]
    public void Latent_accuracy_gives_no_credit_for_the_reference_result_a_blank_answer_fell_back_to()
    {
        using var model = AutoEncoder.Seeded(3, CPU);
        double reference = Lab.OrReference<double>("Problem 3", () => throw new NotImplementedException(), () => global::AutoencoderLab.Classification.CentroidAccuracy.InLatentSpace(model, data));
        Assert.Contains("the library's reference classifier", Fails(() => Checks.LatentAccuracy(reference, model, data)));
        double yours = Lab.OrReference("Problem 3", () => reference, () => -1.0); // the student's own code now works
        Assert.Contains("looks right", Checks.LatentAccuracy(yours, model, data));
    }

    // ---- Problem 1 ----

    static Sequential Encoder() => Sequential(("l1", Linear(784, 1000)), ("r1", ReLU()), ("l2", Linear(1000, 25)), ("r2", ReLU()), ("l3", Linear(25, 50)));
    static Sequential Decoder() => Sequential(("r1", ReLU()), ("l1", Linear(50, 1000)), ("r2", ReLU()), ("l2", Linear(1000, 784)));

    [Fact]
    public void Architecture_passes_the_table_and_names_a_wrong_layer_or_an_open_problem()
    {
        Assert.Contains("1,647,109 parameters", Checks.Architecture(Encoder, Decoder));
        var wrong = Fails(() => Checks.Architecture(() => Sequential(("l1", Linear(784, 1000)), ("r1", ReLU()), ("l2", Linear(1000, 50))), Decoder));
        Assert.Contains("the encoder has the layers [Linear(784, 1000), ReLU, Linear(1000, 50)]", wrong);
        Assert.Contains("is not done yet", Fails(() => Checks.Architecture(() => throw new NotImplementedException(), Decoder)));
    }

    [Fact]
    public void Fresh_blocks_passes_the_table_and_names_a_narrow_code_or_a_shared_block()
    {
        Assert.Contains("50 wide", Checks.FreshBlocks(Encoder, Decoder));
        Assert.Contains("must be 50 wide", Fails(() => Checks.FreshBlocks(() => Sequential(("l1", Linear(784, 1000)), ("r1", ReLU()), ("l2", Linear(1000, 25))), Decoder)));
        var shared = Decoder();
        Assert.Contains("BuildDecoder() return the same block", Fails(() => Checks.FreshBlocks(Encoder, () => shared)));
        Assert.Contains("is not done yet", Fails(() => Checks.FreshBlocks(Encoder, () => throw new NotImplementedException())));
    }

    // ---- Checks made of parts: partial credit ----

    static string Passes(string confirmation) => confirmation;

    static string Throws(string message) => throw new CheckFailedException(message);

    [Fact]
    public void Parts_returns_every_confirmation_when_all_parts_pass()
    {
        Assert.Equal("one is right\ntwo is right\nthree is right", Checks.Parts(() => Passes("one is right"), () => Passes("two is right"), () => Passes("three is right")));
    }

    [Fact]
    public void Parts_with_one_of_three_failing_runs_them_all_and_counts_two_passed()
    {
        bool thirdRan = false;
        var failure = Assert.Throws<CheckFailedException>(() => Checks.Parts(
            () => Passes("one"), () => Throws("Problem 2: the losses differ."), () => { thirdRan = true; return "three"; }));
        Assert.True(thirdRan);
        Assert.Equal((2, 3), (failure.PartsPassed, failure.Parts));
        Assert.Equal("part 2 of 3: Problem 2: the losses differ.\n[2 of 3 parts passed]", failure.Message);
        Assert.EndsWith("\n[2 of 3 parts passed]", failure.Message);
        Assert.Equal((2, 3), CheckFailedException.PartsIn(failure.Message));
    }

    [Fact]
    public void Parts_numbers_each_failed_part_and_names_other_exceptions_by_type()
    {
        var failure = Assert.Throws<CheckFailedException>(() => Checks.Parts(
            () => Throws("first is wrong"), () => Passes("two"), () => throw new InvalidOperationException("Sequence contains no elements")));
        Assert.Equal((1, 3), (failure.PartsPassed, failure.Parts));
        Assert.Contains("2 of 3 parts failed", failure.Message);
        Assert.Contains("part 1 of 3: first is wrong", failure.Message);
        Assert.Contains("part 3 of 3: InvalidOperationException: Sequence contains no elements", failure.Message);
        Assert.EndsWith("[1 of 3 parts passed]", failure.Message);
    }

    [Fact]
    public void Parts_says_not_done_yet_for_a_NotImplementedException()
    {
        var failure = Assert.Throws<CheckFailedException>(() => Checks.Parts(() => Passes("one"), () => throw new NotImplementedException()));
        Assert.Contains("part 2 of 2: Not done yet", failure.Message);
        Assert.Contains("still throws NotImplementedException", failure.Message);
        // Inside a check the student's function is named, as before.
        Assert.Contains("Problem 1 is not done yet: BuildEncoder()", Fails(() => Checks.Parts(() => Checks.Architecture(() => throw new NotImplementedException(), Decoder))));
    }

    [Fact]
    public void Parts_of_a_single_part_fails_with_that_part_s_message_as_it_is()
    {
        // What a student sees once the hidden parts are removed: no numbering, no marker (all or nothing anyway).
        var failure = Assert.Throws<CheckFailedException>(() => Checks.Parts(() => Throws("Problem 2: call optimizer.step().")));
        Assert.Equal("Problem 2: call optimizer.step().", failure.Message);
        Assert.Equal(0, failure.Parts);
        Assert.Null(CheckFailedException.PartsIn(failure.Message));
    }

    [Fact]
    public void PartsIn_finds_the_last_marker_in_a_kernel_error_text_and_null_without_one()
    {
        var failure = new CheckFailedException("part 1 of 2: inner check failed\n[0 of 1 parts passed]", 1, 2);
        Assert.Equal((1, 2), (failure.PartsPassed, failure.Parts));
        string kernel = $"AutoencoderLab.Notebooks.CheckFailedException: {failure.Message}\n" +
                        "   at AutoencoderLab.Notebooks.Checks.Parts(Func`1[] parts) in /src/lib/AutoencoderLab/Notebooks/Checks.cs:line 64\n" +
                        "   at Submission#12.<<Initialize>>d__0.MoveNext()";
        Assert.Equal((1, 2), CheckFailedException.PartsIn(kernel));
        Assert.Equal((1, 2), CheckFailedException.PartsIn(kernel.Replace("\n", "\r\n")));
        Assert.Null(CheckFailedException.PartsIn("AutoencoderLab.Notebooks.CheckFailedException: Problem 1: wrong layers.\n   at Submission#3.<<Initialize>>d__0.MoveNext()"));
        Assert.Null(CheckFailedException.PartsIn(""));
        Assert.Null(CheckFailedException.PartsIn(null));
        Assert.Equal("Problem 1: wrong layers.", new CheckFailedException("Problem 1: wrong layers.").Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckFailedException("x", 3, 2));
    }

    // ---- Problem 2: loops as students write them ----

    static List<float> Loop(AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches, int epochs, ProgressLine progress,
        bool zeroGrad = true, bool backward = true, bool step = true, bool sum = false, bool perEpoch = false, bool report = true)
    {
        var losses = new List<float>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float last = 0;
            foreach (var (images, _) in batches.Epoch(epoch))
            {
                using var scope = NewDisposeScope();
                var loss = sum ? (model.call(images) - images).pow(2).sum() : functional.mse_loss(model.call(images), images);
                if (zeroGrad) optimizer.zero_grad();
                if (backward) loss.backward();
                if (step) optimizer.step();
                last = loss.item<float>();
                if (!perEpoch) losses.Add(last);
            }
            if (perEpoch) losses.Add(last);
            if (report) progress.Report(epoch + 1, last);
        }
        return losses;
    }

    [Fact]
    public void Training_loop_passes_a_correct_loop_equal_to_the_reference_step_by_step()
    {
        var message = Checks.TrainingLoop((m, o, b, e, p) => Loop(m, o, b, e, p), data);
        Assert.Contains("16 losses over 2 epochs of 8 batches", message);
        // The hidden test's shape: a short last batch, another seed.
        Assert.Contains("2 epochs of 7 batches", Checks.TrainingLoop((m, o, b, e, p) => Loop(m, o, b, e, p), data, batchSize: 300, seed: 11));
    }

    [Theory]
    [InlineData("zeroGrad", "optimizer.zero_grad()")]
    [InlineData("backward", "loss.backward()")]
    [InlineData("step", "optimizer.step()")]
    public void Training_loop_names_the_step_left_out(string leftOut, string named)
    {
        var message = Fails(() => Checks.TrainingLoop((m, o, b, e, p) =>
            Loop(m, o, b, e, p, zeroGrad: leftOut != "zeroGrad", backward: leftOut != "backward", step: leftOut != "step"), data));
        Assert.Contains(named, message);
    }

    [Fact]
    public void Training_loop_names_a_wrong_loss_one_loss_per_epoch_and_missing_progress()
    {
        Assert.Contains("mean squared error", Fails(() => Checks.TrainingLoop((m, o, b, e, p) => Loop(m, o, b, e, p, sum: true), data)));
        Assert.Contains("not one per epoch", Fails(() => Checks.TrainingLoop((m, o, b, e, p) => Loop(m, o, b, e, p, perEpoch: true), data)));
        Assert.Contains("progress.Report", Fails(() => Checks.TrainingLoop((m, o, b, e, p) => Loop(m, o, b, e, p, report: false), data)));
        Assert.Contains("is not done yet", Fails(() => Checks.TrainingLoop((m, o, b, e, p) => throw new NotImplementedException(), data)));
    }

    // ---- Problem 3 ----

    static Tensor Means(Tensor vectors, Tensor labels)
    {
        var values = vectors.to_type(ScalarType.Float64);
        return stack(Enumerable.Range(0, 10).Select(c => values[labels == c].mean([0])));
    }

    static double Accuracy(Tensor centroids, Tensor vectors, Tensor labels) =>
        100.0 * cdist(vectors.to_type(ScalarType.Float64), centroids.to_type(ScalarType.Float64)).argmin(1).eq(labels).sum().item<long>() / labels.shape[0];

    [Fact]
    public void Centroids_and_accuracy_pass_the_reference_and_82_03_on_pixels()
    {
        Assert.Contains("ten class means", Checks.Centroids(Means));
        Assert.Contains("ten class means", Checks.Centroids(Means, seed: 17, dimensions: 5, counts: [1, 9, 2, 8, 3, 7, 4, 6, 5, 11]));
        Assert.Contains("82.03 % on MNIST pixels", Checks.Accuracy(Means, Accuracy, data));
    }

    [Fact]
    public void Centroids_and_accuracy_name_their_mistakes()
    {
        // Averaging over the whole set instead of one class.
        Assert.Contains("row 0 of your centroids is not the mean", Fails(() => Checks.Centroids((v, l) => v.to_type(ScalarType.Float64).mean([0]).expand(10, -1).clone())));
        Assert.Contains("expected [10, 3]", Fails(() => Checks.Centroids((v, l) => Means(v, l).T.contiguous())));
        Assert.Contains("a percentage", Fails(() => Checks.Accuracy(Means, (c, v, l) => Accuracy(c, v, l) / 100, data)));
        // The farthest centroid instead of the nearest.
        Assert.Contains("nearest centroid", Fails(() => Checks.Accuracy(Means,
            (c, v, l) => 100.0 * cdist(v.to_type(ScalarType.Float64), c.to_type(ScalarType.Float64)).argmax(1).eq(l).sum().item<long>() / l.shape[0], data)));
    }

    // ---- Problem 4 ----

    enum Mistake { None, NoContrastive, LastRows, NoZeroGrad }

    static List<(float Total, float Reconstruction, float Contrastive)> ContrastiveLoop(AutoEncoder model, optim.Optimizer optimizer, ShuffledBatches batches,
        ClassPairs pairs, int epochs, ProgressLine progress, Mistake mistake)
    {
        var losses = new List<(float, float, float)>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (images, labels) in batches.Epoch(epoch))
            {
                using var scope = NewDisposeScope();
                var (a1, a2) = pairs.Draw();
                var z = model.Encode(images);
                var mse = functional.mse_loss(model.Decode(z), images);
                var zPos = z[labels == a1];
                var zNeg = z[labels == a2];
                long n = Math.Min(zPos.shape[0], zNeg.shape[0]);
                var contrastive = n == 0 || mistake == Mistake.NoContrastive ? zeros(1).squeeze()
                    : mistake == Mistake.LastRows ? ContrastiveLoss.Compute(zPos[^(int)n..], zNeg[^(int)n..])
                    : ContrastiveLoss.Compute(zPos[..(int)n], zNeg[..(int)n]);
                var loss = mse + contrastive;
                if (mistake != Mistake.NoZeroGrad) optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                losses.Add((loss.item<float>(), mse.item<float>(), contrastive.item<float>()));
            }
            progress.Report(epoch + 1, losses[^1].Item1);
        }
        return losses;
    }

    [Fact]
    public void Contrastive_loop_passes_the_reference_and_the_hidden_shape()
    {
        Assert.Contains("16 steps equal to the reference loop's", Checks.ContrastiveLoop((m, o, b, c, e, p) => ContrastiveLoop(m, o, b, c, e, p, Mistake.None), data));
        // Batches of 24: many steps lack a1 or a2, whose term must be 0.
        Assert.Contains("equal to the reference loop's", Checks.ContrastiveLoop((m, o, b, c, e, p) => ContrastiveLoop(m, o, b, c, e, p, Mistake.None), data, samples: 512, batchSize: 24, seed: 13));
    }

    [Fact]
    public void Contrastive_loop_names_a_missing_term_a_wrong_trim_and_a_missing_zero_grad()
    {
        Assert.Contains("the contrastive term is 0 at every step", Fails(() => Checks.ContrastiveLoop((m, o, b, c, e, p) => ContrastiveLoop(m, o, b, c, e, p, Mistake.NoContrastive), data)));
        Assert.Contains("keep the first", Fails(() => Checks.ContrastiveLoop((m, o, b, c, e, p) => ContrastiveLoop(m, o, b, c, e, p, Mistake.LastRows), data)));
        Assert.Contains("optimizer.zero_grad()", Fails(() => Checks.ContrastiveLoop((m, o, b, c, e, p) => ContrastiveLoop(m, o, b, c, e, p, Mistake.NoZeroGrad), data)));
    }
}
