using System.Text.Json.Nodes;

namespace AutoencoderLab.Notebooks.Release;

/// <summary>One transformation of a notebook on its way from the instructor's source to the student's copy (after nbgrader's preprocessors).</summary>
public interface INotebookTransform
{
    /// <summary>Changes <paramref name="notebook"/> (the .ipynb JSON) in place.</summary>
    void Apply(JsonObject notebook);
}
