using AutoencoderLab.Data;
using AutoencoderLab.Models;
using AutoencoderLab.Notebooks;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>A notebook pointed at a reproduce run's folder takes that run's model instead of training one, and writes nothing over the run.</summary>
[Collection(EnvironmentCollection.Name)]
public class LabReuseTests
{
    [Fact]
    public void A_notebook_reuses_the_problem_2_model_of_a_reproduce_run_with_its_epochs_and_seed()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        run.Start(new ReproduceOptions { Epochs = 1, Seed = 7, OutputDirectory = dir.Path });
        using (var trained = AutoEncoder.Seeded(123, CPU)) trained.save(run.PathOf(RunDirectory.ReconstructionWeights)); // weights no seed-7 start has
        float[] losses = [0.5f, 0.25f];
        new RunResults { Epochs = 1, Seed = 7, BatchSize = 1024, Losses = new LossCurves(losses, []) }.Save(dir.Path);
        var before = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        using var data = new EnvironmentScope(MnistLocation.EnvironmentVariable, TestPaths.SharedMnist);
        using var artifacts = new EnvironmentScope(NotebookParameters.ArtifactsVariable, dir.Path);
        using var epochs = new EnvironmentScope("AELAB_EPOCHS", "1");
        using var seed = new EnvironmentScope("AELAB_SEED", "7");
        using var device = new EnvironmentScope("AELAB_DEVICE", "cpu");
        var lab = Lab.Start(quick: true);
        Assert.Null(lab.SetupFailure);

        var (model, reused) = lab.Reuse(SavedModel.Problem2, _ => Assert.Fail("it trained instead of reusing the run's model"));
        using (model)
        using (var expected = AutoEncoder.FromWeights(run.PathOf(RunDirectory.ReconstructionWeights), CPU))
            foreach (var (a, b) in model.parameters().Zip(expected.parameters()))
                Assert.True(a.allclose(b, rtol: 0, atol: 0), "the reused model's weights are not the run's");
        Assert.Equal(losses, reused);

        // Nothing of the run was changed or added to, and the notebook's own files go to their subfolder.
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Order());
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }
}
