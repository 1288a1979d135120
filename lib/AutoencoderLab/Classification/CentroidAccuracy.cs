using AutoencoderLab.Data;
using AutoencoderLab.Models;
using static TorchSharp.torch;

namespace AutoencoderLab.Classification;

/// <summary>Problem 3's two figures: nearest-centroid accuracy fitted on the training images and scored on the test images.</summary>
public static class CentroidAccuracy
{
    /// <summary>Accuracy (%) on raw pixels.</summary>
    public static double InPixelSpace(MnistDataset data)
    {
        using var classifier = NearestCentroid.Fit(data.TrainImages, data.TrainLabels);
        return classifier.Accuracy(data.TestImages, data.TestLabels);
    }

    /// <summary>Accuracy (%) in <paramref name="model"/>'s latent space.</summary>
    public static double InLatentSpace(AutoEncoder model, MnistDataset data)
    {
        using var scope = NewDisposeScope();
        using var classifier = NearestCentroid.Fit(model.EncodeAll(data.TrainImages), data.TrainLabels);
        return classifier.Accuracy(model.EncodeAll(data.TestImages), data.TestLabels);
    }
}
