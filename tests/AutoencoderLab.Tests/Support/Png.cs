using System.Buffers.Binary;

namespace AutoencoderLab.Tests.Support;

/// <summary>What the tests read of a PNG file: that it is one, and its size.</summary>
internal static class Png
{
    /// <summary>The width and height in the IHDR chunk, after checking the signature.</summary>
    public static (int Width, int Height) Size(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
