using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Tests.Support;

namespace AutoencoderLab.Tests.Notebooks;

public class ReleasePipelineTests
{
    static string Notebook(params (string Source, JsonObject? Grading)[] cells)
    {
        var array = new JsonArray();
        foreach (var (source, grading) in cells)
        {
            var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
            if (grading is not null) metadata["nbgrader"] = grading;
            var cell = new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = 3, ["metadata"] = metadata,
                ["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["text"] = new JsonArray("old output") }),
            };
            NotebookCells.SetSource(cell, source);
            array.Add(cell);
        }
        return new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } }, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString();
    }

    static List<JsonObject> Cells(string ipynb) => NotebookCells.Of(JsonNode.Parse(ipynb)!.AsObject()).ToList();

    [Fact]
    public void Solutions_become_stubs_with_their_indentation_and_nothing_else_changes()
    {
        var grading = new JsonObject { ["solution"] = true, ["grade"] = false, ["grade_id"] = "p1", ["locked"] = false, ["schema_version"] = 3 };
        var student = ReleasePipeline.Student.Apply(Notebook(
            ("int Answer()\n{\n    // BEGIN SOLUTION\n    var x = 6 * 7;\n    return x;\n    // END SOLUTION\n}", grading),
            ("Console.WriteLine(Answer());", null)));
        var cells = Cells(student);

        Assert.Equal("int Answer()\n{\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n}", NotebookCells.Source(cells[0]));
        Assert.Equal("Console.WriteLine(Answer());", NotebookCells.Source(cells[1]));
        Assert.Equal("p1", cells[0]["metadata"]!["nbgrader"]!["grade_id"]!.GetValue<string>());
        Assert.Equal(3, cells[0]["metadata"]!["nbgrader"]!["schema_version"]!.GetValue<int>());
        Assert.Equal("csharp", cells[1]["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.All(cells, c => Assert.Empty(c["outputs"]!.AsArray()));
        Assert.All(cells, c => Assert.Null(c["execution_count"]));
    }

    [Fact]
    public void Hidden_tests_are_removed()
    {
        var student = ReleasePipeline.Student.Apply(Notebook(("Check();\n// BEGIN HIDDEN TESTS\nSecretCheck();\n// END HIDDEN TESTS\nDone();", null)));
        Assert.Equal("Check();\nDone();", NotebookCells.Source(Cells(student)[0]));
    }

    [Fact]
    public void Checksums_are_nbgraders_for_graded_solution_and_locked_cells_only()
    {
        // Expected values from nbgrader's compute_checksum, run in Python (hashlib) on the same cells.
        var graded = new JsonObject { ["grade"] = true, ["solution"] = false, ["locked"] = true, ["grade_id"] = "p1-check", ["points"] = 2, ["schema_version"] = 3 };
        var answer = new JsonObject { ["grade"] = false, ["solution"] = true, ["locked"] = false, ["grade_id"] = "p1-answer", ["schema_version"] = 3 };
        var student = ReleasePipeline.Student.Apply(Notebook(("Checks.Run()", graded), ("int x = 1;", answer), ("var free = 2;", null)));
        var cells = Cells(student);
        Assert.Equal("d55cdb858408905dc97967eec5ee3e1b", cells[0]["metadata"]!["nbgrader"]!["checksum"]!.GetValue<string>());
        Assert.Equal("6e89c913984460f03eafbc46e9cd76e7", cells[1]["metadata"]!["nbgrader"]!["checksum"]!.GetValue<string>());
        Assert.Null(cells[2]["metadata"]!["nbgrader"]);
    }

    [Fact]
    public void An_unclosed_region_is_an_error_naming_the_cell()
    {
        var error = Assert.Throws<AutoencoderLabException>(() => ReleasePipeline.Student.Apply(Notebook(("x", null), ("// BEGIN SOLUTION\nvar y = 2;", null))));
        Assert.Contains("cell 2", error.Message);
        Assert.Contains("END SOLUTION", error.Message);
    }

    [Fact]
    public void The_committed_student_notebooks_are_what_release_writes_now()
    {
        var notebooks = Path.Combine(TestPaths.RepositoryRoot, "notebooks");
        Assert.True(ReleasePipeline.Student.Stale(notebooks, Path.Combine(notebooks, "student")).Count == 0, "Run 'aelab notebooks release' and commit notebooks/student/.");
        Assert.Equal(4, Directory.GetFiles(Path.Combine(notebooks, "student"), "*.ipynb").Length);
    }

    [Fact]
    public void Every_instructor_notebook_has_graded_checks_and_solution_regions_with_nbgrader_metadata()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "notebooks"), "*.ipynb"))
        {
            var cells = Cells(File.ReadAllText(path));
            var solutions = cells.Where(c => c["metadata"]?["nbgrader"]?["solution"]?.GetValue<bool>() == true).ToList();
            var checks = cells.Where(c => c["metadata"]?["nbgrader"]?["grade"]?.GetValue<bool>() == true).ToList();
            Assert.NotEmpty(solutions);
            Assert.NotEmpty(checks);
            Assert.All(solutions, c => Assert.Contains("// BEGIN SOLUTION", NotebookCells.Source(c)));
            Assert.All(checks, c => Assert.True(c["metadata"]!["nbgrader"]!["points"]!.GetValue<int>() > 0));
            // Check cells call the library fully qualified, so no name a student defines can stand in for the check.
            Assert.All(checks, c => Assert.Contains("global::AutoencoderLab.Notebooks.Checks.", NotebookCells.Source(c)));
            Assert.All(cells.Where(c => c["metadata"]?["nbgrader"] is not null), c => Assert.Equal(3, c["metadata"]!["nbgrader"]!["schema_version"]!.GetValue<int>()));
        }
    }
}
