using AutoencoderLab.Models;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Models;

public class UnitHealthTests
{
    [Fact]
    public void Counts_the_units_that_fire_for_at_least_one_image_in_every_relu_layer()
    {
        using var model = new AutoEncoder(seed: 1);
        using var images = rand(300, AutoEncoder.InputSize, generator: new Generator(2));
        var healthy = UnitHealth.Measure(model, images, batchSize: 128);
        Assert.Equal(["encoder.relu1", "encoder.relu2", "decoder.relu1", "decoder.relu2"], healthy.Layers.Select(l => l.Layer));
        Assert.Equal([1000, 25, 50, 1000], healthy.Layers.Select(l => l.Units));
        Assert.Equal("encoder.relu2", healthy.Bottleneck.Layer);

        // Kill five bottleneck units: weights and bias so negative that no image makes them fire.
        var linear2 = (TorchSharp.Modules.Linear)model.Encoder.named_children().Single(c => c.name == "linear2").module;
        using (no_grad())
        {
            linear2.weight![..5].fill_(-1.0f);
            linear2.bias![..5].fill_(-1.0f);
        }
        var damaged = UnitHealth.Measure(model, images, batchSize: 128);
        Assert.True(healthy.Bottleneck.Alive > damaged.Bottleneck.Alive, $"{healthy} vs {damaged}");
        Assert.True(damaged.Bottleneck.Alive <= 20, damaged.ToString());
        Assert.Contains("bottleneck:", damaged.ToString());
    }
}
