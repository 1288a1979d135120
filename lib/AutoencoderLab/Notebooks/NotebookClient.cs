namespace AutoencoderLab.Notebooks;

/// <summary>The real kernel a notebook is run in headless.</summary>
public enum NotebookClient
{
    /// <summary>dotnet-repl, a local tool of this repository (the .NET Interactive kernel VS Code uses).</summary>
    Repl,
    /// <summary>Jupyter's nbconvert with the .NET Interactive kernel (<c>.net-csharp</c>).</summary>
    Jupyter,
}
