namespace AutoencoderLab.Embedding;

/// <summary>
/// The cells (centre of mass, count) one group of points interacts with, in flat arrays so the per-point
/// sum is one branch-free loop.
/// </summary>
internal sealed class InteractionList
{
    double[] x = new double[256], y = new double[256], count = new double[256];
    int length;

    public void Clear() => length = 0;

    public void Add(double massX, double massY, int points)
    {
        if (length == x.Length)
        {
            Array.Resize(ref x, length * 2); Array.Resize(ref y, length * 2); Array.Resize(ref count, length * 2);
        }
        x[length] = massX; y[length] = massY; count[length++] = points;
    }

    /// <summary>Returns sum_c n_c w_c and sets (fx, fy) = sum_c n_c w_c^2 (p - c), w_c = 1 / (1 + |p - c|^2).</summary>
    public double Accumulate(double px, double py, out double fx, out double fy)
    {
        double z = 0, sx = 0, sy = 0;
        var xs = x.AsSpan(0, length);
        var ys = y.AsSpan(0, length);
        var ns = count.AsSpan(0, length);
        for (int c = 0; c < xs.Length; c++)
        {
            double dx = px - xs[c], dy = py - ys[c];
            double w = 1 / (1 + dx * dx + dy * dy);
            double nw = ns[c] * w;
            z += nw;
            nw *= w;
            sx += nw * dx; sy += nw * dy;
        }
        fx = sx; fy = sy;
        return z;
    }
}
