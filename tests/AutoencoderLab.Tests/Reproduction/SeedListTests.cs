using AutoencoderLab.Reproduction;

namespace AutoencoderLab.Tests.Reproduction;

public class SeedListTests
{
    [Theory]
    [InlineData("1-5", new long[] { 1, 2, 3, 4, 5 })]
    [InlineData("7", new long[] { 7 })]
    [InlineData("1,3,7", new long[] { 1, 3, 7 })]
    [InlineData(" 1-3 , 10, 2", new long[] { 1, 2, 3, 10 })]
    [InlineData("0-0", new long[] { 0 })]
    public void Parses_ranges_and_lists_in_order_without_repeats(string text, long[] expected) => Assert.Equal(expected, SeedList.Parse(text));

    [Theory]
    [InlineData("", "no seeds")]
    [InlineData("5-1", "runs backwards")]
    [InlineData("1,x", "'x'")]
    [InlineData("-3", "'-3'")]
    [InlineData("1-5000", "more than 1000")]
    public void Refuses_what_is_not_a_seed_list_saying_which_part(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => SeedList.Parse(text)).Message);

    [Fact]
    public void Spread_gives_mean_sample_standard_deviation_and_range()
    {
        var spread = Spread.Of([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        Assert.Equal((8, 5.0, 2.0, 9.0), (spread.Count, spread.Mean, spread.Min, spread.Max));
        Assert.Equal(Math.Sqrt(32.0 / 7), spread.StandardDeviation, 12);
        Assert.Equal(0, Spread.Of([3.0]).StandardDeviation);
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }
}
