using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AutoencoderLab.Training;

/// <summary>
/// The state of a training run at a step boundary, as one file:
/// <c>AELABCK1</c>, then length-prefixed sections (metadata JSON, model weights, optimiser state),
/// then a SHA-256 of everything before it, so a truncated or corrupted file is recognised before
/// anything is loaded. Written atomically: a crash leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    static readonly byte[] Magic = "AELABCK1"u8.ToArray();
    const int HashLength = 32;

    /// <summary>What a checkpoint says about its run.</summary>
    public sealed record Metadata
    {
        /// <summary>Objective name (<c>reconstruction</c> or <c>contrastive</c>).</summary>
        public required string Objective { get; init; }
        /// <summary>The run's seed.</summary>
        public required long Seed { get; init; }
        /// <summary>Mini-batch size.</summary>
        public required int BatchSize { get; init; }
        /// <summary>Epochs the run was asked for.</summary>
        public required int Epochs { get; init; }
        /// <summary>Whole epochs completed.</summary>
        public required int CompletedEpochs { get; init; }
        /// <summary>Batches completed in the next epoch (non-zero after an interruption mid-epoch).</summary>
        public required int CompletedBatches { get; init; }
        /// <summary>Parameter names and shapes, e.g. <c>encoder.linear1.weight:1000x784</c>.</summary>
        public required IReadOnlyList<string> Architecture { get; init; }
        /// <summary>Every recorded total loss.</summary>
        public required IReadOnlyList<float> Total { get; init; }
        /// <summary>Every recorded loss part.</summary>
        public required IReadOnlyDictionary<string, List<float>> Parts { get; init; }
        /// <summary>Seconds of each timed epoch.</summary>
        public required IReadOnlyList<double> EpochSeconds { get; init; }
        /// <summary>How epochs were shuffled (<see cref="EpochOrder.Name"/>); null in checkpoints of earlier versions.</summary>
        public string? BatchOrder { get; init; }
    }

    /// <summary>A checkpoint's content, read and verified.</summary>
    public sealed record Content(Metadata Metadata, byte[] Model, byte[] Optimizer);

    /// <summary>Writes a checkpoint atomically.</summary>
    public static void Write(string path, Content content)
    {
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                WriteSection(writer, JsonSerializer.SerializeToUtf8Bytes(content.Metadata));
                WriteSection(writer, content.Model);
                WriteSection(writer, content.Optimizer);
            }
            stream.Write(hashing.Hash());
        });
    }

    /// <summary>Reads and verifies a checkpoint; every fault is a <see cref="CheckpointException"/>.</summary>
    public static Content Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException e) { throw new CheckpointException(path, "no checkpoint at this path", e); }
        catch (DirectoryNotFoundException e) { throw new CheckpointException(path, "no checkpoint at this path", e); }
        return Parse(bytes, path);
    }

    /// <summary>Parses checkpoint bytes; <paramref name="source"/> names them in errors.</summary>
    public static Content Parse(byte[] bytes, string source)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(source, "not an aelab checkpoint (wrong magic bytes)");
        if (bytes.Length < Magic.Length + HashLength)
            throw new CheckpointException(source, "truncated checkpoint");
        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new CheckpointException(source, "checksum mismatch: the checkpoint is truncated or corrupt");
        int offset = Magic.Length;
        var metadataBytes = ReadSection(bytes, body.Length, ref offset, source);
        var model = ReadSection(bytes, body.Length, ref offset, source);
        var optimizer = ReadSection(bytes, body.Length, ref offset, source);
        Metadata? metadata;
        try { metadata = JsonSerializer.Deserialize<Metadata>(metadataBytes); }
        catch (JsonException e) { throw new CheckpointException(source, $"unreadable metadata ({e.Message})", e); }
        if (metadata is null) throw new CheckpointException(source, "empty metadata");
        return new Content(metadata, model, optimizer);
    }

    static void WriteSection(BinaryWriter writer, byte[] section)
    {
        writer.Write((long)section.Length);
        writer.Write(section);
    }

    static byte[] ReadSection(byte[] bytes, int end, ref int offset, string source)
    {
        if (offset + 8 > end) throw new CheckpointException(source, "truncated checkpoint");
        long length = BitConverter.ToInt64(bytes, offset);
        offset += 8;
        if (length < 0 || length > end - offset) throw new CheckpointException(source, "a section runs past the end of the file");
        var section = bytes.AsSpan(offset, (int)length).ToArray();
        offset += (int)length;
        return section;
    }

    /// <summary>Passes writes through while hashing them.</summary>
    sealed class HashingStream(Stream inner) : Stream
    {
        readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public byte[] Hash() => hash.GetHashAndReset();
        public override void Write(byte[] buffer, int offset, int count) { hash.AppendData(buffer, offset, count); inner.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { hash.AppendData(buffer); inner.Write(buffer); }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) hash.Dispose(); base.Dispose(disposing); }
    }
}
