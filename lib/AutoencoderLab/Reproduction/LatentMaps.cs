using System.Globalization;
using AutoencoderLab.Charts;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using AutoencoderLab.Models;
using static TorchSharp.torch;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// The assignment's t-SNE pictures: every third training image (20,000 points), embedded from raw pixels
/// and from latent codes, saved as CSV (x, y, label) and as offline scatter pages.
/// </summary>
public sealed class LatentMaps(MnistDataset data, int every = LatentMaps.DefaultEvery, int? limit = null, IProgress<TsneProgress>? progress = null)
{
    /// <summary>The assignment's sampling step: every third training image.</summary>
    public const int DefaultEvery = 3;

    /// <summary>Positions in the training set of the subsample: 0, every, 2 every, ... (at most <c>limit</c>).</summary>
    public long[] Positions { get; } = Enumerable.Range(0, (int)((data.TrainLabels.shape[0] + every - 1) / every))
        .Select(i => (long)i * every).Take(limit ?? int.MaxValue).ToArray();

    /// <summary>Labels of the subsample.</summary>
    public long[] Labels => labels ??= LabelsOf();
    long[]? labels;

    long[] LabelsOf()
    {
        using var index = tensor(Positions, device: data.Device);
        using var selected = data.TrainLabels.index_select(0, index).cpu();
        return selected.data<long>().ToArray();
    }

    /// <summary>The subsample's pixels [n, 784].</summary>
    public Tensor Pixels()
    {
        using var index = tensor(Positions, device: data.Device);
        return data.TrainImages.index_select(0, index);
    }

    /// <summary>Embeds <paramref name="vectors"/> (rows of the subsample) and summarises the map, saving it as <paramref name="csv"/>.</summary>
    public (TsneEmbedding Embedding, TsneSummary Summary) Embed(Tensor vectors, string csv, CancellationToken cancellationToken = default)
    {
        var embedding = Tsne.Embed(vectors, new TsneOptions(), progress, cancellationToken);
        Save(embedding, csv);
        var summary = new TsneSummary(Path.GetFileName(csv), embedding.Count, embedding.Seconds, embedding.Kl,
            EmbeddingQuality.NeighborLabelAccuracy(embedding, Labels), EmbeddingQuality.NeighborPreservation(embedding));
        return (embedding, summary);
    }

    /// <summary>Latent codes of the subsample under <paramref name="model"/>.</summary>
    public Tensor Latent(AutoEncoder model)
    {
        using var pixels = Pixels();
        return model.EncodeAll(pixels);
    }

    void Save(TsneEmbedding embedding, string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.WriteLine("x,y,label");
            for (int i = 0; i < embedding.Count; i++)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{embedding[i].X:R},{embedding[i].Y:R},{Labels[i]}"));
        });

    /// <summary>Reads a map saved by <see cref="Embed"/>: coordinates and labels.</summary>
    public static (double[] Coordinates, long[] Labels) Load(string path)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var coordinates = new double[2 * lines.Length];
        var labels = new long[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            if (parts.Length != 3
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out coordinates[2 * i])
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out coordinates[2 * i + 1])
                || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out labels[i]))
                throw new AutoencoderLabException($"{path}: line {i + 2} is not 'x,y,label'");
        }
        return (coordinates, labels);
    }
}
