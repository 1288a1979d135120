using System.Security.Cryptography;

namespace AutoencoderLab.Data;

/// <summary>md5 sums as lower-case hex, the form the MNIST mirrors publish.</summary>
public static class Checksum
{
    /// <summary>md5 of a file's bytes.</summary>
    public static string Md5OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    /// <summary>md5 of bytes in memory.</summary>
    public static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}
