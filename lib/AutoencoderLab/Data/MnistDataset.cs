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
        // The values go into memory from `into` once the header has the file's magic number and shape; returns the file's path.
        string Read(MnistFile file, int[] shape, Func<int, Span<byte>> into)
        {
            var path = location.Find(file)!;
            IdxFile.Read(path, (magic, actual, count) =>
            {
                if (magic != file.Magic)
                    throw new DataFileException(path, $"magic number 0x{magic:X8} but {file.Name} must have 0x{file.Magic:X8} ({(file.Magic == IdxFile.ImageMagic ? "images" : "labels")})");
                if (!actual.SequenceEqual(shape))
                    throw new DataFileException(path, $"shape {string.Join('x', actual)}, expected {string.Join('x', shape)}");
                return into(count);
            });
            bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            var md5 = Checksum.Md5OfFile(path);
            var expected = compressed ? file.Md5 : file.UncompressedMd5;
            if (md5 != expected)
                throw new DataFileException(path, $"md5 {md5} does not match the canonical {expected}; this is not the canonical MNIST file (replace it, or move it away to download it again)");
            checksums[file.Name] = md5;
            return path;
        }
        // Images straight into a byte tensor: libtorch's memory for it (huge pages when asked for) rather than a
        // managed array copied into a tensor, two sets of fresh pages that cost more than reading the file.
        Tensor Images(MnistFile file, int count)
        {
            Tensor? bytes = null;
            try
            {
                Read(file, [count, 28, 28], _ => (bytes = empty([count, Pixels], ScalarType.Byte)).bytes);
                return MnistDataset.Images(bytes!, device);
            }
            finally { bytes?.Dispose(); }
        }
        byte[] Labels(MnistFile file, int count)
        {
            var labels = new byte[count];
            CheckLabels(Read(file, [count], _ => labels), labels);
            return labels;
        }

        var trainLabels = Labels(MnistFile.TrainLabels, 60_000);
        var testLabels = Labels(MnistFile.TestLabels, 10_000);
        var trainImages = Images(MnistFile.TrainImages, 60_000);
        try
        {
            var testImages = Images(MnistFile.TestImages, 10_000);
            return new MnistDataset(trainImages, MnistDataset.Labels(trainLabels, device), testImages, MnistDataset.Labels(testLabels, device), checksums, location.Directory);
        }
        catch { trainImages.Dispose(); throw; }
    }

    static void CheckLabels(string path, byte[] labels)
    {
        int bad = Array.FindIndex(labels, l => l >= Classes);
        if (bad >= 0) throw new DataFileException(path, $"label {labels[bad]} at index {bad} is not a digit 0-9");
    }

    /// <summary>Bytes [N*784] to float32 [N, 784] in [0, 1] on <paramref name="device"/>.</summary>
    internal static Tensor Images(Tensor bytes, Device device)
    {
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
