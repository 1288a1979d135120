using AutoencoderLab.Data;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Data;

public class IdxFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trips_images_and_labels(bool gzip)
    {
        using var dir = new TempDirectory();
        var images = SyntheticMnist.Images(7);
        var path = dir.File(gzip ? "images.gz" : "images");
        File.WriteAllBytes(path, IdxFile.Encode(images, gzip));

        var read = IdxFile.Read(path);

        Assert.Equal(IdxFile.ImageMagic, read.Magic);
        Assert.Equal([7, 28, 28], read.Shape);
        Assert.Equal(images.Values, read.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Values_go_into_the_memory_the_caller_provides_once_the_header_is_known(bool gzip)
    {
        using var dir = new TempDirectory();
        var images = SyntheticMnist.Images(5);
        var path = dir.File(gzip ? "images.gz" : "images");
        File.WriteAllBytes(path, IdxFile.Encode(images, gzip));
        var memory = new byte[5 * 784 + 3]; // the values land at an offset, in a larger buffer
        (int Magic, int[] Shape, int Count) seen = default;

        IdxFile.Read(path, (magic, shape, count) => { seen = (magic, shape, count); return memory.AsSpan(3, count); });

        Assert.Equal((IdxFile.ImageMagic, 5 * 784), (seen.Magic, seen.Count));
        Assert.Equal([5, 28, 28], seen.Shape!);
        Assert.Equal(images.Values, memory[3..]);
        // A destination may refuse the file: nothing is read, its error comes through.
        var refused = Assert.Throws<DataFileException>(() => IdxFile.Read(path, (_, _, _) => throw new DataFileException(path, "not wanted")));
        Assert.Contains("not wanted", refused.Message);
        // A destination of the wrong size is a programming error, not a bad file.
        Assert.Throws<InvalidOperationException>(() => IdxFile.Read(path, (_, _, count) => memory.AsSpan(0, count - 1)));
    }

    [Fact]
    public void Truncated_values_are_reported_with_the_file_and_counts()
    {
        using var dir = new TempDirectory();
        var bytes = IdxFile.Encode(SyntheticMnist.Labels(100));
        var path = dir.File("labels");
        File.WriteAllBytes(path, bytes[..^10]);

        var error = Assert.Throws<DataFileException>(() => IdxFile.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("100", error.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        var bytes = IdxFile.Encode(SyntheticMnist.Images(2))[..9];
        var error = Assert.Throws<DataFileException>(() => IdxFile.Parse(bytes, "x.idx"));
        Assert.Contains("truncated", error.Message);
        Assert.StartsWith("x.idx:", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_announcing_more_values_than_the_file_holds_is_refused_before_they_are_read(bool gzip)
    {
        using var dir = new TempDirectory();
        var raw = IdxFile.Encode(SyntheticMnist.Labels(5));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), 1_000_000_000); // a gigabyte of labels announced
        var path = dir.File(gzip ? "labels.gz" : "labels");
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);

        var error = Assert.Throws<DataFileException>(() => IdxFile.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains("values (1000000000) but the file holds at most 5;", error.Message);
    }

    static byte[] Gzip(byte[] bytes)
    {
        using var packed = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) zip.Write(bytes);
        return packed.ToArray();
    }

    [Fact]
    public void Extra_bytes_are_reported()
    {
        var bytes = IdxFile.Encode(SyntheticMnist.Labels(5)).Concat(new byte[3]).ToArray();
        var error = Assert.Throws<DataFileException>(() => IdxFile.Parse(bytes, "labels"));
        Assert.Contains("3 unexpected bytes", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00 })]      // a gzip header where raw IDX is expected
    [InlineData(new byte[] { 0x00, 0x00, 0x0D, 0x03, 0, 0 })] // float IDX, not bytes
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x07, 0, 0 })] // rank 7
    [InlineData(new byte[] { 0x00, 0x00 })]                   // shorter than a header
    public void Wrong_magic_or_rank_is_reported(byte[] bytes)
    {
        var error = Assert.Throws<DataFileException>(() => IdxFile.Parse(bytes, "bad"));
        Assert.StartsWith("bad:", error.Message);
    }

    [Fact]
    public void Truncated_gzip_is_reported_with_the_file()
    {
        using var dir = new TempDirectory();
        var packed = IdxFile.Encode(SyntheticMnist.Images(50), gzip: true);
        var path = dir.File("images.gz");
        File.WriteAllBytes(path, packed[..(packed.Length / 2)]);

        var error = Assert.Throws<DataFileException>(() => IdxFile.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Matches("truncated|corrupt", error.Message);
    }

    [Fact]
    public void Garbage_in_a_gz_file_is_reported_with_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("images.gz");
        File.WriteAllBytes(path, "this is not gzip at all"u8.ToArray());
        var error = Assert.Throws<DataFileException>(() => IdxFile.Read(path));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Random_and_truncated_bytes_only_ever_raise_DataFileException()
    {
        // Fuzz: random bytes, and valid files cut or corrupted at random places.
        var random = new Random(12345);
        var valid = IdxFile.Encode(SyntheticMnist.Images(3));
        for (int i = 0; i < 3000; i++)
        {
            byte[] bytes = (i % 3) switch
            {
                0 => RandomBytes(random, random.Next(0, 64)),
                1 => valid[..random.Next(0, valid.Length)],
                _ => Corrupt(random, valid),
            };
            try
            {
                var array = IdxFile.Parse(bytes, "fuzz");
                // Accepted bytes are a well-formed IDX file (encoding what was read gives them back), and a cut or
                // corrupted copy of the valid file is accepted only when nothing was changed.
                Assert.Equal(bytes, IdxFile.Encode(array));
                if (i % 3 != 0) Assert.Equal(valid, bytes);
            }
            catch (DataFileException e) { Assert.Equal("fuzz", e.Path); }
        }
    }

    static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (length > 3 && random.Next(2) == 0) { bytes[0] = 0; bytes[1] = 0; bytes[2] = 8; bytes[3] = (byte)random.Next(0, 5); }
        return bytes;
    }

    static byte[] Corrupt(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        bytes[random.Next(0, 16)] = (byte)random.Next(256);
        return bytes;
    }
}
