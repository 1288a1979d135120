using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderLab.Data;

/// <summary>
/// MNIST in memory on one device: images as float32 [N, 784] scaled to [0, 1], labels as int64 [N].
/// Loaded once per process and device; the tensors live as long as the process, so do not dispose them.
/// </summary>
public sealed class MnistDataset
{
    /// <summary>Pixels per image (28 x 28).</summary>
    public const int Pixels = 784;

    /// <summary>Number of digit classes.</summary>
    public const int Classes = 10;

    static readonly ConcurrentDictionary<(string, string), Lazy<MnistDataset>> Cache = new();

    MnistDataset(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels, IReadOnlyDictionary<string, string> checksums, string directory)
    {
        TrainImages = trainImages; TrainLabels = trainLabels; TestImages = testImages; TestLabels = testLabels;
        Checksums = checksums; Directory = directory;
    }

    /// <summary>Training images, [60000, 784], float32 in [0, 1].</summary>
    public Tensor TrainImages { get; }
    /// <summary>Training labels, [60000], int64.</summary>
    public Tensor TrainLabels { get; }
    /// <summary>Test images, [10000, 784], float32 in [0, 1].</summary>
    public Tensor TestImages { get; }
    /// <summary>Test labels, [10000], int64.</summary>
    public Tensor TestLabels { get; }
    /// <summary>md5 of each file as read, by canonical file name.</summary>
    public IReadOnlyDictionary<string, string> Checksums { get; }
    /// <summary>The data directory the files came from.</summary>
    public string Directory { get; }
    /// <summary>The device the tensors are on.</summary>
    public Device Device => TrainImages.device;

    /// <summary>
    /// Loads the four files from <paramref name="location"/> onto <paramref name="device"/> (cached per process).
    /// Missing files are a <see cref="DataUnavailableException"/> (use <see cref="MnistDownloader"/> first);
    /// a bad file is a <see cref="DataFileException"/> naming it and the fault.
    /// </summary>
    public static MnistDataset Load(MnistLocation location, Device? device = null)
    {
        device ??= CPU;
        var lazy = Cache.GetOrAdd((location.Directory, device.ToString()), _ => new Lazy<MnistDataset>(() => Read(location, device)));
        try { return lazy.Value; }
        catch { Cache.TryRemove((location.Directory, device.ToString()), out _); throw; }
    }

    static MnistDataset Read(MnistLocation location, Device device)
    {
        var missing = location.Missing();
        if (missing.Count > 0)
            throw new DataUnavailableException(
                $"MNIST is not in {location.Directory}: missing {string.Join(", ", missing.Select(f => f.Name))}." + Environment.NewLine +
                MnistDownloader.MissingAdvice(location.DownloadDirectory));
        var checksums = new Dictionary<string, string>();
        byte[] Values(MnistFile file, int[] shape)
        {
            var path = location.Find(file)!;
            var array = IdxFile.Read(path);
            if (array.Magic != file.Magic)
                throw new DataFileException(path, $"magic number 0x{array.Magic:X8} but {file.Name} must have 0x{file.Magic:X8} ({(file.Magic == IdxFile.ImageMagic ? "images" : "labels")})");
            if (!array.Shape.SequenceEqual(shape))
                throw new DataFileException(path, $"shape {string.Join('x', array.Shape)}, expected {string.Join('x', shape)}");
            bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            var md5 = compressed ? Checksum.Md5OfFile(path) : Checksum.Md5(IdxFile.Encode(array));
            var expected = compressed ? file.Md5 : file.UncompressedMd5;
            if (md5 != expected)
                throw new DataFileException(path, $"md5 {md5} does not match the canonical {expected}; this is not the canonical MNIST file (replace it, or move it away to download it again)");
            checksums[file.Name] = md5;
            return array.Values;
        }

        var trainImages = Values(MnistFile.TrainImages, [60_000, 28, 28]);
        var trainLabels = Values(MnistFile.TrainLabels, [60_000]);
        var testImages = Values(MnistFile.TestImages, [10_000, 28, 28]);
        var testLabels = Values(MnistFile.TestLabels, [10_000]);
        CheckLabels(location.Find(MnistFile.TrainLabels)!, trainLabels);
        CheckLabels(location.Find(MnistFile.TestLabels)!, testLabels);
        return new MnistDataset(Images(trainImages, device), Labels(trainLabels, device), Images(testImages, device), Labels(testLabels, device), checksums, location.Directory);
    }

    static void CheckLabels(string path, byte[] labels)
    {
        int bad = Array.FindIndex(labels, l => l >= Classes);
        if (bad >= 0) throw new DataFileException(path, $"label {labels[bad]} at index {bad} is not a digit 0-9");
    }

    /// <summary>Bytes [N*784] to float32 [N, 784] in [0, 1] on <paramref name="device"/>.</summary>
    internal static Tensor Images(byte[] values, Device device)
    {
        using var bytes = torch.tensor(values, [values.Length / Pixels, Pixels], dtype: ScalarType.Byte);
        using var onDevice = bytes.to(device);
        return onDevice.to_type(ScalarType.Float32).div_(255f);
    }

    /// <summary>Label bytes to int64 [N] on <paramref name="device"/>.</summary>
    internal static Tensor Labels(byte[] values, Device device)
    {
        using var bytes = torch.tensor(values, dtype: ScalarType.Byte);
        using var onDevice = bytes.to(device);
        return onDevice.to_type(ScalarType.Int64);
    }
}
