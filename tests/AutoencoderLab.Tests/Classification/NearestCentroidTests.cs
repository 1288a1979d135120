using AutoencoderLab.Classification;
using AutoencoderLab.Data;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Classification;

public class NearestCentroidTests
{
    [Fact]
    public void Centroids_are_class_means_and_prediction_is_the_nearest_one()
    {
        using var x = tensor(new float[] { 0, 0, 2, 0, 10, 10, 10, 12, -5, 5 }, [5, 2]);
        using var y = tensor(new long[] { 0, 0, 1, 1, 2 });
        using var classifier = NearestCentroid.Fit(x, y, classes: 3);

        Assert.Equal(new double[] { 1, 0, 10, 11, -5, 5 }, classifier.Centroids.data<double>().ToArray());
        using var queries = tensor(new float[] { 1.4f, 0, 9, 9, -4, 4, 3, 3 }, [4, 2]);
        Assert.Equal(new long[] { 0, 1, 2, 0 }, classifier.Predict(queries).data<long>().ToArray());
        using var truth = tensor(new long[] { 0, 1, 2, 1 });
        Assert.Equal(75.0, classifier.Accuracy(queries, truth));
        var confusion = classifier.ConfusionMatrix(queries, truth);
        Assert.Equal(1, confusion[1, 0]);
        Assert.Equal(1, confusion[2, 2]);
    }

    [Fact]
    public void A_class_without_training_vectors_is_refused()
    {
        using var x = rand(4, 3);
        using var y = tensor(new long[] { 0, 0, 1, 1 });
        var error = Assert.Throws<ArgumentException>(() => NearestCentroid.Fit(x, y, classes: 3));
        Assert.Contains("every class", error.Message);
    }

    [Fact]
    public void Pixel_space_accuracy_on_real_MNIST_is_exactly_82_03_percent()
    {
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));
        double accuracy = CentroidAccuracy.InPixelSpace(data);
        Assert.Equal(8203, (int)Math.Round(accuracy * 100)); // 8,203 of 10,000 test images
        Assert.Equal(82.03, accuracy, 10);
    }
}
