# nbgrader settings for this course's C# notebooks (notebooks/*.ipynb are the instructor "source" versions).
# `aelab notebooks release` writes the same student versions without nbgrader; with nbgrader installed,
# `nbgrader generate_assignment` can make them too: C# stubs, the same delimiters, the same checksums.
c = get_config()

c.CourseDirectory.source_directory = "notebooks"

c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {
    "C#": "// YOUR CODE HERE\nthrow new NotImplementedException();",
    "csharp": "// YOUR CODE HERE\nthrow new NotImplementedException();",
}
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
