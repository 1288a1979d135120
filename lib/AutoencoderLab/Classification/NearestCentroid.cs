using AutoencoderLab.Data;
using static TorchSharp.torch;

namespace AutoencoderLab.Classification;

/// <summary>
/// Problem 3: the nearest-centroid classifier. Each class is represented by the mean of its
/// training vectors (its centroid); a vector is assigned the class of the nearest centroid in
/// 2-norm. Works on any vectors: raw pixels [N, 784] or latent codes [N, 50].
/// Computed in float64 so that ties and near-ties come out the same on every device.
/// </summary>
public sealed class NearestCentroid : IDisposable
{
    NearestCentroid(Tensor centroids) => Centroids = centroids;

    /// <summary>Class centroids [classes, D], float64, on the device of the training vectors.</summary>
    public Tensor Centroids { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => (int)Centroids.shape[0];

    /// <summary>Fits the centroids: per class c, the mean of the rows of <paramref name="vectors"/> labelled c.</summary>
    public static NearestCentroid Fit(Tensor vectors, Tensor labels, int classes = MnistDataset.Classes)
    {
        if (vectors.dim() != 2) throw new ArgumentException($"vectors must be [N, D], got [{string.Join(", ", vectors.shape)}]", nameof(vectors));
        if (labels.dim() != 1 || labels.shape[0] != vectors.shape[0])
            throw new ArgumentException($"labels must be [N] with N = {vectors.shape[0]}, got [{string.Join(", ", labels.shape)}]", nameof(labels));
        using var scope = NewDisposeScope();
        var index = labels.to_type(ScalarType.Int64);
        var sums = zeros([classes, vectors.shape[1]], ScalarType.Float64, vectors.device).index_add_(0, index, vectors.to_type(ScalarType.Float64), 1.0);
        var counts = bincount(index, minlength: classes).to_type(ScalarType.Float64);
        if ((counts == 0).any().item<bool>())
            throw new ArgumentException($"every class 0-{classes - 1} needs at least one training vector", nameof(labels));
        return new NearestCentroid((sums / counts.unsqueeze(1)).MoveToOuterDisposeScope());
    }

    /// <summary>A classifier with the given <paramref name="centroids"/> [classes, D] (copied, as float64).</summary>
    public static NearestCentroid Of(Tensor centroids)
    {
        if (centroids.dim() != 2) throw new ArgumentException($"centroids must be [classes, D], got [{string.Join(", ", centroids.shape)}]", nameof(centroids));
        return new NearestCentroid(centroids.to_type(ScalarType.Float64).clone());
    }

    /// <summary>The predicted class of each row of <paramref name="vectors"/>, int64 [N].</summary>
    public Tensor Predict(Tensor vectors)
    {
        using var scope = NewDisposeScope();
        var distances = cdist(vectors.to_type(ScalarType.Float64), Centroids);
        return distances.argmin(1).MoveToOuterDisposeScope();
    }

    /// <summary>Share of rows classified as their label, in percent.</summary>
    public double Accuracy(Tensor vectors, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var correct = Predict(vectors).eq(labels.to_type(ScalarType.Int64)).sum().item<long>();
        return 100.0 * correct / vectors.shape[0];
    }

    /// <summary>Confusion matrix [true class, predicted class] of counts.</summary>
    public long[,] ConfusionMatrix(Tensor vectors, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var predicted = Predict(vectors).cpu().data<long>().ToArray();
        var actual = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var matrix = new long[Classes, Classes];
        for (int i = 0; i < actual.Length; i++) matrix[actual[i], predicted[i]]++;
        return matrix;
    }

    /// <inheritdoc />
    public void Dispose() => Centroids.Dispose();
}
