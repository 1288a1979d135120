using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoencoderLab.Models;
using AutoencoderLab.Notebooks.Release;
using AutoencoderLab.Reproduction;
using AutoencoderLab.Tests.Support;
using AutoencoderLab.Training;

namespace AutoencoderLab.Tests.Notebooks;

/// <summary>
/// The instructor notebooks' prose quotes the original's results and the assignment's settings, as prose should; the
/// library has each as a constant. Every quote must equal its constant formatted as the prose writes it, so changing
/// one side alone fails here; code cells print the constants and quote none of the results.
/// </summary>
public class QuotedNumbersTests
{
    const int TrainingImages = 60_000;

    static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>What is quoted, how prose writes it (group 1 is the number), and the values it may take.</summary>
    static readonly (string What, Regex Quote, string[] Values)[] Quotes =
    [
        ("a nearest-centroid accuracy of the original", new(@"\b(\d{2}\.\d{2}) ?%"),
            [F($"{ReferenceResults.OriginalAccuracy:F2}"), F($"{ReferenceResults.LatentAccuracy:F2}"), F($"{ReferenceResults.ContrastiveAccuracy:F2}")]),
        ("the original's last reconstruction loss", new(@"\b(\d\.\d+e-\d+)\b"), [F($"{ReferenceResults.FinalReconstructionLoss:0.000000e-00}")]),
        ("batches an epoch", new(@"\b(\d+) batches an epoch|\$(\d+) \\times\$ epochs"),
            [F($"{(TrainingImages + TrainingDefaults.BatchSize - 1) / TrainingDefaults.BatchSize}")]),
        ("the batch size", new(@"mini-batch of ([\d,]+) images"), [F($"{TrainingDefaults.BatchSize:N0}")]),
        ("the parameter count", new(@"\b([\d,]{7,}) parameters"), [F($"{AutoEncoder.ExpectedParameters:N0}")]),
        ("the temperature", new(@"\\tau = (\d+(?:\.\d+)?)"), [F($"{ContrastiveLoss.DefaultTemperature}")]),
    ];

    static IEnumerable<(string Notebook, JsonObject Cell)> Cells() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)
            .SelectMany(path => NotebookCells.Of(JsonNode.Parse(File.ReadAllText(path))!.AsObject()).Select(cell => (Path.GetFileName(path), cell)));

    static bool IsMarkdown(JsonObject cell) => cell["cell_type"]?.GetValue<string>() == "markdown";

    [Fact]
    public void Every_number_the_prose_quotes_equals_the_library_constant()
    {
        var found = Quotes.ToDictionary(q => q.What, _ => new HashSet<string>());
        var wrong = new List<string>();
        foreach (var (notebook, cell) in Cells().Where(c => IsMarkdown(c.Cell)))
            foreach (var (what, quote, values) in Quotes)
                foreach (Match match in quote.Matches(NotebookCells.Source(cell)))
                {
                    var number = match.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
                    found[what].Add(number);
                    if (!values.Contains(number))
                        wrong.Add($"{notebook}, cell {cell["id"]}: '{match.Value}' quotes {what} as {number}; the library has {string.Join(" / ", values)}");
                }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // Each value is quoted somewhere, so a pattern that stopped matching the prose cannot pass unseen.
        foreach (var (what, _, values) in Quotes)
            Assert.True(values.All(found[what].Contains), $"the prose no longer quotes {what} ({string.Join(" / ", values.Except(found[what]))})");
    }

    [Fact]
    public void Code_cells_print_the_original_results_from_the_constants()
    {
        string[] results = [.. Quotes.Take(2).SelectMany(q => q.Values)];
        foreach (var (notebook, cell) in Cells().Where(c => NotebookCells.IsCode(c.Cell)))
        {
            var source = NotebookCells.Source(cell);
            Assert.False(results.Any(source.Contains), $"{notebook}, cell {cell["id"]} writes one of {string.Join(", ", results)}; use ReferenceResults.");
        }
    }
}
