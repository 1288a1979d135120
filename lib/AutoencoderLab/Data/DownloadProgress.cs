namespace AutoencoderLab.Data;

/// <summary>Progress of one file's download.</summary>
public sealed record DownloadProgress(string File, long Bytes, long? TotalBytes);
