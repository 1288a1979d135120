using System.Globalization;
using System.Net;
using System.Text;
using AutoencoderLab.Charts;
using AutoencoderLab.Classification;
using AutoencoderLab.Data;
using AutoencoderLab.Embedding;
using AutoencoderLab.Models;
using AutoencoderLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Reproduction;

/// <summary>
/// One offline page per run (<c>report.html</c>): configuration, data checksums, timings, each accuracy next to the
/// assignment's, and every figure; PNG copies of the figures for slides. Built from a results directory alone
/// (results.json, the weights, the t-SNE CSVs) plus the data set, so it can be redone for any earlier run.
/// </summary>
public static class RunReport
{
    /// <summary>Writes the report of the run in <paramref name="directory"/>; PNGs when <paramref name="renderer"/> is given.</summary>
    public static ReportOutput Write(string directory, MnistDataset data, ChromiumRenderer? renderer)
    {
        var run = new RunDirectory(directory);
        var results = run.ReadResults();
        var figures = Figures(run, results, data);

        var page = new OfflinePage("Autoencoder on MNIST: run report");
        page.Html(Summary(results));
        foreach (var (figure, height) in figures) page.Add(figure, height);
        var path = run.Report;
        long bytes = page.Save(path);

        var pngs = new List<string>();
        string? note = renderer is null ? $"No Chromium found (install Debian's 'chromium' or set {ChromiumRenderer.EnvironmentVariable}); PNG copies skipped." : null;
        if (renderer is not null)
        {
            var folder = run.Figures;
            Directory.CreateDirectory(folder);
            foreach (var (figure, height) in figures)
            {
                var png = Path.Combine(folder, figure.Id + ".png");
                if (FigureImage.Save(figure, 1200, height, renderer, png)) pngs.Add(png);
            }
            if (pngs.Count < figures.Count) note = $"Chromium rendered {pngs.Count} of {figures.Count} PNGs.";
        }
        return new ReportOutput(path, bytes, figures.Select(f => f.Figure.Id).ToList(), pngs, note);
    }

    static List<(Figure Figure, int Height)> Figures(RunDirectory run, RunResults results, MnistDataset data)
    {
        var figures = new List<(Figure, int)>();
        using var scope = NewDisposeScope();

        // The assignment opens with a training digit: show the first sixteen.
        figures.Add((ImageFigures.TrainingDigits(data), 360));

        figures.Add((LossFigures.Training(results.Losses.Reconstruction), 420));
        if (results.Losses.ContrastiveParts is { } parts
            && parts.TryGetValue(ContrastiveObjective.ReconstructionPart, out var reconstruction) && parts.TryGetValue(ContrastiveObjective.ContrastivePart, out var contrastiveTerm))
            figures.Add((LossFigures.Contrastive(results.Losses.Contrastive, reconstruction, contrastiveTerm), 420));

        if (results.Tsne is { } maps)
        {
            TsneEmbedding Read(string space, out long[] labels)
            {
                var (coordinates, read) = LatentMaps.Load(run.PathOf(maps[space].File));
                labels = read;
                return new TsneEmbedding(coordinates, maps[space].Kl, new Dictionary<string, double>(), [], 0);
            }
            if (maps.ContainsKey("pixels") && maps.ContainsKey("latent"))
            {
                var pixels = Read("pixels", out var labels);
                figures.Add((TsneFigures.SideBySide(pixels, Read("latent", out _), labels), 560));
            }
            if (maps.ContainsKey("contrastive"))
            {
                var contrastive = Read("contrastive", out var labels);
                figures.Add((TsneFigures.Contrastive(contrastive, labels), 600));
            }
        }

        // Beyond the assignment: what the classifiers get wrong, and what each class's mean latent code looks like.
        var spaces = new List<(string, long[,])>();
        using (var pixelClassifier = NearestCentroid.Fit(data.TrainImages, data.TrainLabels))
            spaces.Add(("pixels", pixelClassifier.ConfusionMatrix(data.TestImages, data.TestLabels)));
        var decoded = new List<float[]>();
        var captions = new List<string>();
        foreach (var (space, file) in new[] { ("latent", RunDirectory.ReconstructionWeights), ("contrastive latent", RunDirectory.ContrastiveWeights) })
        {
            var weights = run.PathOf(file);
            if (!File.Exists(weights)) continue;
            using var model = AutoEncoder.FromWeights(weights, data.Device);
            using var classifier = NearestCentroid.Fit(model.EncodeAll(data.TrainImages), data.TrainLabels);
            spaces.Add((space, classifier.ConfusionMatrix(model.EncodeAll(data.TestImages), data.TestLabels)));
            using (no_grad())
            {
                var images = model.Decode(classifier.Centroids.to_type(ScalarType.Float32)).clamp(0, 1).cpu();
                for (int digit = 0; digit < MnistDataset.Classes; digit++) { decoded.Add(images[digit].data<float>().ToArray()); captions.Add($"{digit} ({space})"); }
            }
        }
        figures.Add((ClassifierFigures.ConfusionMatrices(spaces), 460));
        figures.Add((ClassifierFigures.PerClassAccuracy(spaces), 420));
        if (decoded.Count > 0)
            figures.Add((ImageFigures.Grid("centroids", "Class centroids in latent space, decoded back to images", decoded, captions, columns: MnistDataset.Classes), 180 * decoded.Count / MnistDataset.Classes + 80));
        return figures;
    }

    static string Summary(RunResults r)
    {
        string F(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "-";
        string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine("<h2>Nearest-centroid accuracy on the 10,000 test images</h2><table>");
        html.AppendLine("<tr><th>space</th><th>this run (%)</th><th>assignment (%)</th><th>epochs</th></tr>");
        html.AppendLine($"<tr><td>original (pixels)</td><td id=\"accuracy-original\">{F(r.Accuracy.Original)}</td><td>{F(r.Reference.Original)}</td><td>-</td></tr>");
        html.AppendLine($"<tr><td>latent (Problem 2)</td><td id=\"accuracy-latent\">{F(r.Accuracy.Latent)}</td><td>{F(r.Reference.Latent)}</td><td>{r.Epochs} (assignment: 500)</td></tr>");
        html.AppendLine($"<tr><td>latent with contrastive term (Problem 4)</td><td id=\"accuracy-contrastive\">{F(r.Accuracy.Contrastive)}</td><td>{F(r.Reference.Contrastive)}</td><td>{r.ContrastiveEpochs} (assignment: 500)</td></tr>");
        html.AppendLine("</table>");
        if (r.UnitHealth is { } health)
        {
            // Dead units (no training image makes them fire) explain much of the spread between seeds.
            html.AppendLine("<h2>Alive units (fire for at least one training image)</h2><table>");
            html.AppendLine("<tr><th>model</th><th>bottleneck</th><th>every ReLU layer</th></tr>");
            foreach (var (model, h) in health)
                html.AppendLine($"<tr><td>{E(model == "contrastive" ? "Problem 4 (contrastive)" : model == "reconstruction" ? "Problem 2 (reconstruction)" : model)}</td>" +
                                $"<td id=\"alive-{E(model)}\">{h.Bottleneck.Alive} of {h.Bottleneck.Units}</td>" +
                                $"<td>{E(string.Join(", ", h.Layers.Select(l => $"{l.Layer} {l.Alive}/{l.Units}")))}</td></tr>");
            html.AppendLine("</table>");
        }
        html.AppendLine("<h2>Run</h2><table>");
        foreach (var (k, v) in new (string, string)[]
        {
            ("parameters", r.Parameters.ToString("N0", CultureInfo.InvariantCulture)), ("seed", r.Seed.ToString(CultureInfo.InvariantCulture)),
            ("device", r.Device), ("threads", r.Threads.ToString(CultureInfo.InvariantCulture)), ("batch size", r.BatchSize.ToString(CultureInfo.InvariantCulture)),
            ("seconds per epoch (Problem 2 / 4)", $"{F(r.SecondsPerEpoch.Reconstruction)} / {F(r.SecondsPerEpoch.Contrastive)}"),
            ("last reconstruction loss", r.Losses.Reconstruction.Count > 0 ? r.Losses.Reconstruction[^1].ToString("E6", CultureInfo.InvariantCulture) + $" (assignment after 500 epochs: {ReferenceResults.FinalReconstructionLoss.ToString("E6", CultureInfo.InvariantCulture)})" : "-"),
            ("finished", r.Finished.ToString("u", CultureInfo.InvariantCulture)),
        })
            html.AppendLine($"<tr><td>{E(k)}</td><td>{E(v)}</td></tr>");
        if (r.Tsne is { } maps)
            foreach (var (space, map) in maps)
                html.AppendLine($"<tr><td>t-SNE of {E(space)}</td><td>{map.Points:N0} points, {map.Seconds:F1} s, KL {map.Kl:F3}, 10-NN accuracy {map.KnnAccuracy:F3}, 10-NN preservation {map.KnnPreservation:F3}</td></tr>");
        html.AppendLine("</table><h2>Data (md5)</h2><table>");
        foreach (var (file, md5) in r.DataChecksums) html.AppendLine($"<tr><td>{E(file)}</td><td><code>{E(md5)}</code></td></tr>");
        html.AppendLine("</table><h2>Figures</h2>");
        return html.ToString();
    }
}
