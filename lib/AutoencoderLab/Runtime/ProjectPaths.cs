namespace AutoencoderLab.Runtime;

/// <summary>Default places of the suite's folders, relative to the repository when run inside it.</summary>
public static class ProjectPaths
{
    /// <summary>
    /// The repository root: the nearest folder at or above the current directory holding
    /// <c>AutoencoderLab.sln</c>; the current directory when there is none (e.g. a copied tool).
    /// </summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "AutoencoderLab.sln"))) return dir.FullName;
            return Environment.CurrentDirectory;
        }
    }

    /// <summary>Default data directory: <c>ROOT/data</c>.</summary>
    public static string Data => Path.Combine(Root, "data");

    /// <summary>Default output of <c>aelab reproduce</c>: <c>ROOT/artifacts/reproduce</c> (git-ignored).</summary>
    public static string ReproduceOutput => Path.Combine(Root, "artifacts", "reproduce");
}
