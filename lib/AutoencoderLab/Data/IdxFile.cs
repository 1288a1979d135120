using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoencoderLab.Data;

/// <summary>
/// The IDX format of the MNIST files: a big-endian header (two zero bytes, a type code,
/// the number of dimensions, each dimension as uint32) followed by the values.
/// Only unsigned bytes (type 0x08) occur in MNIST, so only those are supported.
/// </summary>
public static class IdxFile
{
    const byte UnsignedByte = 0x08;

    /// <summary>Magic number of an image file (unsigned bytes, 3 dimensions).</summary>
    public const int ImageMagic = 0x0803;

    /// <summary>Magic number of a label file (unsigned bytes, 1 dimension).</summary>
    public const int LabelMagic = 0x0801;

    /// <summary>
    /// Reads an IDX file, gzip-compressed when its name ends in <c>.gz</c>, and checks that it holds
    /// exactly the header's number of values. Every fault is a <see cref="DataFileException"/> naming the file.
    /// </summary>
    public static IdxArray Read(string path) => IntoArray(destination => Read(path, destination));

    /// <summary>
    /// Where the values of an IDX file go once its header is read and checked: exactly <paramref name="count"/> bytes
    /// (the product of <paramref name="shape"/>). It may throw to refuse the file before anything is allocated.
    /// </summary>
    internal delegate Span<byte> Destination(int magic, int[] shape, int count);

    /// <summary>
    /// <see cref="Read(string)"/> into memory the caller provides once the header is known (a tensor's own, so the
    /// values are not copied from a managed array, whose fresh pages cost more than the copy).
    /// </summary>
    internal static void Read(string path, Destination destination)
    {
        try
        {
            using var file = File.OpenRead(path);
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) { Read(file, file.Length, path, destination); return; }
            long inflated = InflatedSize(file);
            using var zip = new GZipStream(file, CompressionMode.Decompress);
            Read(zip, inflated, path, destination);
        }
        catch (InvalidDataException e) { throw new DataFileException(path, $"not a valid gzip stream ({e.Message}); the file is corrupt or truncated", e); }
        catch (EndOfStreamException e) { throw new DataFileException(path, "the gzip stream ends early; the file is truncated", e); }
    }

    /// <summary>Parses IDX bytes already in memory; <paramref name="source"/> names them in errors.</summary>
    public static IdxArray Parse(byte[] bytes, string source) =>
        IntoArray(destination => Read(new MemoryStream(bytes, writable: false), bytes.Length, source, destination));

    /// <summary>The values <paramref name="read"/> delivers, in an array of their own.</summary>
    static IdxArray IntoArray(Action<Destination> read)
    {
        var array = new IdxArray(0, [], []);
        read((magic, shape, count) => (array = new IdxArray(magic, shape, GC.AllocateUninitializedArray<byte>(count))).Values);
        return array;
    }

    // The values go from the stream straight into their destination, read once: a 47 MB file copied through growing
    // buffers took most of a notebook's setup. `length` (at most the bytes the stream holds) bounds the count, so a
    // header announcing more values than the file can hold is reported before anything that size is allocated.
    static void Read(Stream stream, long length, string source, Destination destination)
    {
        Span<byte> header = stackalloc byte[16];
        int read = stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false);
        if (read < 4) throw new DataFileException(source, $"only {read} bytes, too short for an IDX header");
        if (header[0] != 0 || header[1] != 0 || header[2] != UnsignedByte)
            throw new DataFileException(source, $"bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(header):X8}: not an IDX file of unsigned bytes (expected 0x00000801 for labels or 0x00000803 for images)");
        int rank = header[3];
        if (rank is < 1 or > 3) throw new DataFileException(source, $"IDX rank {rank} is not 1-3");
        int headerLength = 4 + 4 * rank;
        read = stream.ReadAtLeast(header[4..headerLength], headerLength - 4, throwOnEndOfStream: false);
        if (read < headerLength - 4) throw new DataFileException(source, $"the header needs {headerLength} bytes but the file has {4 + read}; it is truncated");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * d)..]);
            if (size > int.MaxValue) throw new DataFileException(source, $"dimension {d} is {size}, too large");
            shape[d] = (int)size;
            count *= size;
            if (count > Array.MaxLength) throw new DataFileException(source, $"the header announces more than {Array.MaxLength:N0} values; the file is corrupt");
        }
        var announced = $"the header announces {count:N0} values ({string.Join('x', shape)})";
        if (count > length - headerLength)
            throw new DataFileException(source, $"{announced} but the file holds at most {Math.Max(0, length - headerLength):N0}; it is truncated or corrupt");
        var values = destination(BinaryPrimitives.ReadInt32BigEndian(header), shape, (int)count);
        if (values.Length != count) throw new InvalidOperationException($"the destination holds {values.Length:N0} bytes, not the {count:N0} announced");
        read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (read < count) throw new DataFileException(source, $"{announced} but only {read:N0} follow; the file is truncated");
        long extra = 0;
        Span<byte> rest = stackalloc byte[4096];
        for (int more; (more = stream.Read(rest)) > 0;) extra += more;
        if (extra > 0) throw new DataFileException(source, $"{extra:N0} unexpected bytes after the {count:N0} values the header announces");
    }

    // gzip's last four bytes: the inflated size modulo 2^32 (MNIST's files are far below that). A cut file ends elsewhere,
    // so this is only a bound for the allocation; a size the stream does not deliver is still reported as truncated.
    static long InflatedSize(FileStream file)
    {
        if (file.Length < 18) return long.MaxValue; // shorter than any gzip member: the stream reports it
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    /// <summary>Encodes values as IDX bytes (the inverse of <see cref="Parse"/>); gzip-compressed if asked.</summary>
    public static byte[] Encode(IdxArray array, bool gzip = false)
    {
        var raw = new byte[4 + 4 * array.Shape.Length + array.Values.Length];
        raw[2] = UnsignedByte;
        raw[3] = (byte)array.Shape.Length;
        for (int d = 0; d < array.Shape.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 + 4 * d), array.Shape[d]);
        array.Values.CopyTo(raw, 4 + 4 * array.Shape.Length);
        if (!gzip) return raw;
        using var packed = new MemoryStream();
        using (var zip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) zip.Write(raw);
        return packed.ToArray();
    }
}
