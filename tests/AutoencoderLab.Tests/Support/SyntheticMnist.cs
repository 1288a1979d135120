using AutoencoderLab.Data;

namespace AutoencoderLab.Tests.Support;

/// <summary>Small IDX files the tests write themselves, and copies of the real ones to break on purpose.</summary>
internal static class SyntheticMnist
{
    public static IdxArray Images(int count, int seed = 1)
    {
        var random = new Random(seed);
        var values = new byte[count * 28 * 28];
        random.NextBytes(values);
        return new IdxArray(IdxFile.ImageMagic, [count, 28, 28], values);
    }

    public static IdxArray Labels(int count, int seed = 1)
    {
        var random = new Random(seed);
        return new IdxArray(IdxFile.LabelMagic, [count], Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray());
    }

    /// <summary>Copies the four real files into <paramref name="directory"/>.</summary>
    public static void CopyReal(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in MnistFile.All) File.Copy(Path.Combine(TestPaths.SharedMnist, file.Name), Path.Combine(directory, file.Name));
    }
}
