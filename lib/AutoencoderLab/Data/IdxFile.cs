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
    public static IdxArray Read(string path)
    {
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            bytes = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(file) : ReadAll(file);
        }
        catch (InvalidDataException e) { throw new DataFileException(path, $"not a valid gzip stream ({e.Message}); the file is corrupt or truncated", e); }
        catch (EndOfStreamException e) { throw new DataFileException(path, "the gzip stream ends early; the file is truncated", e); }
        return Parse(bytes, path);
    }

    /// <summary>Parses IDX bytes already in memory; <paramref name="source"/> names them in errors.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4) throw new DataFileException(source, $"only {bytes.Length} bytes, too short for an IDX header");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UnsignedByte)
            throw new DataFileException(source, $"bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}: not an IDX file of unsigned bytes (expected 0x00000801 for labels or 0x00000803 for images)");
        int rank = bytes[3];
        if (rank is < 1 or > 3) throw new DataFileException(source, $"IDX rank {rank} is not 1-3");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength) throw new DataFileException(source, $"the header needs {headerLength} bytes but the file has {bytes.Length}; it is truncated");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (size > int.MaxValue) throw new DataFileException(source, $"dimension {d} is {size}, too large");
            shape[d] = (int)size;
            count *= size;
        }
        long expected = headerLength + count;
        if (bytes.Length < expected)
            throw new DataFileException(source, $"the header announces {count:N0} values ({string.Join('x', shape)}) but only {bytes.Length - headerLength:N0} follow; the file is truncated");
        if (bytes.Length > expected)
            throw new DataFileException(source, $"{bytes.Length - expected:N0} unexpected bytes after the {count:N0} values the header announces");
        return new IdxArray(BinaryPrimitives.ReadInt32BigEndian(bytes), shape, bytes[headerLength..].ToArray());
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

    static byte[] Gunzip(Stream stream)
    {
        using var zip = new GZipStream(stream, CompressionMode.Decompress);
        return ReadAll(zip);
    }

    static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
