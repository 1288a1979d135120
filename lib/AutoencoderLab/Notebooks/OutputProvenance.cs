using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;

namespace AutoencoderLab.Notebooks;

/// <summary>
/// Which source a code cell's outputs came from: the runner stamps each executed cell with a hash of its source
/// (<c>metadata.aelab.source_sha256</c>), so a test can tell when committed outputs no longer belong to the cell.
/// </summary>
public static class OutputProvenance
{
    /// <summary>The hash of a cell's source as stamped.</summary>
    public static string Hash(JsonObject cell) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NotebookCells.Source(cell))));

    /// <summary>Records the hash of <paramref name="cell"/>'s source beside its outputs.</summary>
    public static void Stamp(JsonObject cell)
    {
        var metadata = cell["metadata"] as JsonObject ?? new JsonObject();
        cell["metadata"] = metadata;
        metadata["aelab"] = new JsonObject { ["source_sha256"] = Hash(cell) };
    }

    /// <summary>True when the cell has outputs and they were made from its current source.</summary>
    public static bool IsCurrent(JsonObject cell) =>
        cell["metadata"]?["aelab"]?["source_sha256"]?.GetValue<string>() is { } stamped && stamped == Hash(cell);
}
