namespace AutoencoderLab.Embedding;

/// <summary>How t-SNE computes its repulsive forces (the O(N^2) part of the gradient).</summary>
public enum TsneRepulsion
{
    /// <summary><see cref="Fft"/> from <see cref="TsneOptions.FftFromPoints"/> points on, else <see cref="BarnesHut"/> (openTSNE's rule).</summary>
    Auto,
    /// <summary>A quadtree summarising far cells (scikit-learn's method), accuracy set by <see cref="TsneOptions.Theta"/>; O(N log N).</summary>
    BarnesHut,
    /// <summary>Polynomial interpolation on a grid with FFT convolutions (FIt-SNE, openTSNE's "fft"); O(N) plus the grid's FFTs.</summary>
    Fft,
}
