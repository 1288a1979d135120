namespace AutoencoderLab.Charts;

/// <summary>A figure as a PNG: the chart alone (no page heading, no toolbar), screenshot by headless Chromium.</summary>
public static class FigureImage
{
    /// <summary>Renders <paramref name="figure"/> at <paramref name="width"/> x <paramref name="height"/>; null when Chromium fails.</summary>
    public static byte[]? Png(Figure figure, int width, int height, ChromiumRenderer renderer)
    {
        var folder = Directory.CreateTempSubdirectory("aelab-figure-");
        try
        {
            var page = Path.Combine(folder.FullName, "figure.html");
            var png = Path.Combine(folder.FullName, "figure.png");
            File.WriteAllText(page, OfflinePage.Bare(figure, width, height));
            return renderer.Screenshot(page, png, width, height) ? File.ReadAllBytes(png) : null;
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Writes <paramref name="figure"/> as a PNG file; false when Chromium fails.</summary>
    public static bool Save(Figure figure, int width, int height, ChromiumRenderer renderer, string path)
    {
        var bytes = Png(figure, width, height, renderer);
        if (bytes is null) return false;
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return true;
    }
}
