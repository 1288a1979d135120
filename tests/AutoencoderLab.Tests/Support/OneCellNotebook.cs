using System.Text.Json.Nodes;

namespace AutoencoderLab.Tests.Support;

/// <summary>A Polyglot notebook of one C# cell, for kernel tests.</summary>
internal static class OneCellNotebook
{
    /// <summary>The notebook whose only cell is <paramref name="source"/>.</summary>
    public static JsonObject Of(string source) => new()
    {
        ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            ["source"] = new JsonArray(source),
        }),
        ["nbformat"] = 4, ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }) } },
        },
    };
}
