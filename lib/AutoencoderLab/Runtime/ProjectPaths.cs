namespace AutoencoderLab.Runtime;

/// <summary>Default places of the suite's folders, relative to the repository when run inside it.</summary>
public static class ProjectPaths
{
    /// <summary>Environment variable that names the repository root (the notebooks' setup cell sets it).</summary>
    public const string RootVariable = "AELAB_ROOT";

    /// <summary>
    /// The repository root: <c>$AELAB_ROOT</c> when it holds <c>AutoencoderLab.sln</c>; else the nearest folder at or above
    /// the current directory holding it; else the current directory (e.g. a copied tool).
    /// </summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(RootVariable);
            if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "AutoencoderLab.sln"))) return Path.GetFullPath(configured);
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
