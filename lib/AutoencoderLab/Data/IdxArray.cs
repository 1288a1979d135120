namespace AutoencoderLab.Data;

/// <summary>The content of an IDX file: its magic number, shape and values (row-major bytes).</summary>
public sealed record IdxArray(int Magic, int[] Shape, byte[] Values);
