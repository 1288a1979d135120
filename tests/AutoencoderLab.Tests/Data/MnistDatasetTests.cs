using System.IO.Compression;
using AutoencoderLab.Data;
using AutoencoderLab.Tests.Support;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Data;

public class MnistDatasetTests
{
    [Fact]
    public void Real_files_load_with_the_canonical_counts_labels_and_pixel_mean()
    {
        var data = MnistDataset.Load(new MnistLocation(TestPaths.SharedMnist));

        Assert.Equal([60_000, 784], data.TrainImages.shape);
        Assert.Equal([10_000, 784], data.TestImages.shape);
        Assert.Equal(ScalarType.Float32, data.TrainImages.dtype);
        Assert.Equal(ScalarType.Int64, data.TrainLabels.dtype);
        Assert.Equal([5L, 0, 4, 1, 9, 2, 1, 3, 1, 4], data.TrainLabels[..10].data<long>().ToArray());
        Assert.Equal([7L, 2, 1, 0, 4, 1, 4, 9, 5, 9], data.TestLabels[..10].data<long>().ToArray());
        Assert.Equal(0.1306604762738429, data.TrainImages.mean().item<float>(), 4);
        Assert.Equal(0f, data.TrainImages.min().item<float>());
        Assert.Equal(1f, data.TrainImages.max().item<float>());
        Assert.Equal([5923L, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], bincount(data.TrainLabels).data<long>().ToArray());
        Assert.Equal([980L, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], bincount(data.TestLabels).data<long>().ToArray());
        Assert.Equal(MnistFile.TrainImages.Md5, data.Checksums[MnistFile.TrainImages.Name]);
    }

    [Fact]
    public void Torchvision_layout_and_uncompressed_files_are_accepted()
    {
        using var dir = new TempDirectory();
        var raw = Path.Combine(dir.Path, "MNIST", "raw");
        Directory.CreateDirectory(raw);
        foreach (var file in MnistFile.All)
        {
            using var source = new GZipStream(File.OpenRead(Path.Combine(TestPaths.SharedMnist, file.Name)), CompressionMode.Decompress);
            using var target = File.Create(Path.Combine(raw, file.UncompressedName));
            source.CopyTo(target);
        }

        var data = MnistDataset.Load(new MnistLocation(dir.Path));

        Assert.Equal(60_000, data.TrainLabels.shape[0]);
        Assert.Equal(MnistFile.TestLabels.UncompressedMd5, data.Checksums[MnistFile.TestLabels.Name]);
    }

    [Fact]
    public void Missing_files_name_each_file_where_to_put_it_and_its_md5()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<DataUnavailableException>(() => MnistDataset.Load(new MnistLocation(dir.Path)));
        foreach (var file in MnistFile.All)
        {
            Assert.Contains(file.Name, error.Message);
            Assert.Contains(file.Md5, error.Message);
        }
        Assert.Contains(dir.Path, error.Message);
    }

    [Fact]
    public void A_truncated_real_file_is_named_and_left_in_place()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.CopyReal(dir.Path);
        var broken = dir.File(MnistFile.TestImages.Name);
        var bytes = File.ReadAllBytes(broken);
        File.WriteAllBytes(broken, bytes[..(bytes.Length * 2 / 3)]);

        var error = Assert.Throws<DataFileException>(() => MnistDataset.Load(new MnistLocation(dir.Path)));

        Assert.Equal(broken, error.Path);
        Assert.Equal(bytes.Length * 2 / 3, new FileInfo(broken).Length); // never deleted or replaced
    }

    [Fact]
    public void A_well_formed_file_with_the_wrong_content_fails_the_md5_check()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.CopyReal(dir.Path);
        var path = dir.File(MnistFile.TestLabels.Name);
        var labels = IdxFile.Read(path);
        labels.Values[0] = (byte)((labels.Values[0] + 1) % 10);
        File.WriteAllBytes(path, IdxFile.Encode(labels, gzip: true));

        var error = Assert.Throws<DataFileException>(() => MnistDataset.Load(new MnistLocation(dir.Path)));

        Assert.Equal(path, error.Path);
        Assert.Contains("md5", error.Message);
        Assert.Contains(MnistFile.TestLabels.Md5, error.Message);
    }

    [Fact]
    public void Images_in_place_of_labels_are_reported_by_magic_number()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.CopyReal(dir.Path);
        var path = dir.File(MnistFile.TestLabels.Name);
        File.WriteAllBytes(path, IdxFile.Encode(SyntheticMnist.Images(3), gzip: true));

        var error = Assert.Throws<DataFileException>(() => MnistDataset.Load(new MnistLocation(dir.Path)));

        Assert.Contains("magic number", error.Message);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void A_file_with_the_wrong_count_is_reported_by_shape()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.CopyReal(dir.Path);
        var path = dir.File(MnistFile.TestLabels.Name);
        File.WriteAllBytes(path, IdxFile.Encode(SyntheticMnist.Labels(9_999), gzip: true));

        var error = Assert.Throws<DataFileException>(() => MnistDataset.Load(new MnistLocation(dir.Path)));

        Assert.Contains("shape 9999, expected 10000", error.Message);
    }
}
