using System.Text.Json.Nodes;
using AutoencoderLab.Notebooks;

namespace AutoencoderLab.Tests.Notebooks;

public class ChartOutputTests
{
    [Fact]
    public void Chart_data_keeps_four_significant_digits_and_every_non_number()
    {
        var traces = JsonNode.Parse("""[{"x":[1,2,29500],"y":[0.011253999546170235,123.456789,-4.2e-7,0],"name":"loss","mode":"lines","marker":{"opacity":0.35}}]""")!;
        var compact = ChartOutput.Compact(traces).ToJsonString();
        Assert.Equal("""[{"x":[1,2,29500],"y":[0.01125,123.5,-4.2E-07,0],"name":"loss","mode":"lines","marker":{"opacity":0.35}}]""", compact);
    }
}
