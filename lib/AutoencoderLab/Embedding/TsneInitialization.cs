namespace AutoencoderLab.Embedding;

/// <summary>How the t-SNE embedding starts.</summary>
public enum TsneInitialization
{
    /// <summary>The first two principal components, scaled to a standard deviation of 1e-4 (scikit-learn's default).</summary>
    Pca,
    /// <summary>Gaussian noise of standard deviation 1e-4 from the seed.</summary>
    Random,
}
