using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Parity;

/// <summary>The PyTorch state dicts that <c>aelab reproduce</c> writes open in PyTorch with the original's class and mean the same there.</summary>
[Collection(ReproducedRunCollection.Name)]
public class PyTorchWeightsParityTests(ReproducedRun run)
{
    const int Count = 16;

    [SkippableTheory]
    [InlineData(RunDirectory.ReconstructionWeights, RunDirectory.ReconstructionPyTorchWeights)]
    [InlineData(RunDirectory.ContrastiveWeights, RunDirectory.ContrastivePyTorchWeights)]
    public void A_pt_file_from_reproduce_reconstructs_like_this_library_in_the_original_PyTorch_class(string torchSharpFile, string pyTorchFile)
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.All);
        var results = RunResults.Load(new RunDirectory(run.Directory).Results);
        Assert.Contains(pyTorchFile, results.Files.Values);
        PyTorchPeer.SkipUnlessAvailable();
        using var folder = new TempDirectory();

        PyTorchPeer.Run("reconstruct", "--data", TestPaths.SharedMnist, "--weights", Path.Combine(run.Directory, pyTorchFile), "--count", $"{Count}", "--out", folder.File("out.f32"));

        var bytes = File.ReadAllBytes(folder.File("out.f32"));
        var theirs = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, theirs, 0, bytes.Length);
        using var model = new AutoEncoder();
        model.load(Path.Combine(run.Directory, torchSharpFile)); // the run's own TorchSharp weights, not the .pt
        model.eval();
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ours = model.call(data.TrainImages[..Count].cpu()).data<float>().ToArray();
        Assert.Equal(Count * AutoEncoder.InputSize, theirs.Length);
        double worst = ours.Zip(theirs, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-5, $"reconstructions differ by up to {worst:E2}");
    }
}
