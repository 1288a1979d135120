namespace AutoencoderLab.Tests.Support;

/// <summary>
/// One real <c>aelab reproduce</c> run (1 epoch per problem, 600-point t-SNE maps, report and PNGs), shared by
/// the tests that inspect its output, so the suite pays for it once.
/// </summary>
public sealed class ReproducedRun : IDisposable
{
    readonly TempDirectory directory = new();

    public ReproducedRun()
    {
        Result = Aelab.Run("reproduce", "--epochs", "1", "--contrastive-epochs", "1", "--seed", "3", "--tsne-points", "600",
            "--data", TestPaths.SharedMnist, "--out", directory.Path, "--device", "cpu");
    }

    internal Aelab.Result Result { get; }

    public string Directory => directory.Path;

    public void Dispose() => directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ReproducedRunCollection : ICollectionFixture<ReproducedRun>
{
    public const string Name = "one reproduced run";
}
