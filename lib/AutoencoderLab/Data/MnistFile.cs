namespace AutoencoderLab.Data;

/// <summary>One of the four canonical MNIST files, with what it must contain.</summary>
/// <param name="Name">Canonical file name (gzip).</param>
/// <param name="Md5">md5 of the gzip file, as torchvision checks it.</param>
/// <param name="UncompressedMd5">md5 of the uncompressed file, for copies kept unzipped.</param>
/// <param name="Magic">IDX magic number: images or labels.</param>
public sealed record MnistFile(string Name, string Md5, string UncompressedMd5, int Magic)
{
    /// <summary>Name of the uncompressed copy (torchvision keeps both side by side).</summary>
    public string UncompressedName => Name[..^".gz".Length];

    /// <summary>Training images: 60,000 x 28 x 28.</summary>
    public static MnistFile TrainImages { get; } = new("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "6bbc9ace898e44ae57da46a324031adb", IdxFile.ImageMagic);

    /// <summary>Training labels: 60,000.</summary>
    public static MnistFile TrainLabels { get; } = new("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", "a25bea736e30d166cdddb491f175f624", IdxFile.LabelMagic);

    /// <summary>Test images: 10,000 x 28 x 28.</summary>
    public static MnistFile TestImages { get; } = new("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "2646ac647ad5339dbf082846283269ea", IdxFile.ImageMagic);

    /// <summary>Test labels: 10,000.</summary>
    public static MnistFile TestLabels { get; } = new("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", "27ae3e4e09519cfbb04c329615203637", IdxFile.LabelMagic);

    /// <summary>The four files in the order they are loaded.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>A human-readable list of the four files and their md5 sums, for error messages.</summary>
    public static string Listing => string.Join(Environment.NewLine, All.Select(f => $"  {f.Name}  md5 {f.Md5}"));
}
