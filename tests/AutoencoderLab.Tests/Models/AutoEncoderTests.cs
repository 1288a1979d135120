using AutoencoderLab.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Models;

public class AutoEncoderTests
{
    [Fact]
    public void Has_the_specified_parameter_count()
    {
        using var model = new AutoEncoder();
        Assert.Equal(1_647_109, model.ParameterCount);
        Assert.Equal(AutoEncoder.ExpectedParameters, model.ParameterCount);
    }

    [Fact]
    public void Encoder_and_decoder_have_the_specified_layers_in_order()
    {
        using var model = new AutoEncoder();
        string Describe(Sequential block) => string.Join(", ", block.children().Select(m => m switch
        {
            Linear l => $"Linear({l.in_features}, {l.out_features})",
            ReLU => "ReLU",
            _ => m.GetType().Name,
        }));
        Assert.Equal("Linear(784, 1000), ReLU, Linear(1000, 25), ReLU, Linear(25, 50)", Describe(model.Encoder));
        Assert.Equal("ReLU, Linear(50, 1000), ReLU, Linear(1000, 784)", Describe(model.Decoder));
    }

    [Fact]
    public void Encodes_to_50_and_reconstructs_784()
    {
        using var model = new AutoEncoder();
        using var x = rand(5, 784);
        using var z = model.Encode(x);
        using var y = model.call(x);
        using var y2 = model.Decode(z);
        Assert.Equal([5, 50], z.shape);
        Assert.Equal([5, 784], y.shape);
        Assert.True(y.allclose(y2));
    }

    [Fact]
    public void The_latent_code_is_the_linear_output_so_it_can_be_negative()
    {
        manual_seed(1);
        using var model = new AutoEncoder();
        using var z = model.EncodeAll(rand(300, 784), batchSize: 128);
        Assert.Equal([300, 50], z.shape);
        Assert.True(z.min().item<float>() < 0);
        Assert.False(z.requires_grad);
    }

    [Fact]
    public void State_dict_names_follow_encoder_and_decoder()
    {
        using var model = new AutoEncoder();
        var names = model.state_dict().Keys.ToArray();
        Assert.Contains("encoder.linear1.weight", names);
        Assert.Contains("encoder.linear3.bias", names);
        Assert.Contains("decoder.linear2.weight", names);
        Assert.Equal(10, names.Length);
    }

    [Fact]
    public void A_seed_fixes_the_weights_whatever_else_uses_the_global_generator()
    {
        using var a = new AutoEncoder(seed: 11);
        using var noise = rand(1000); // draws from torch's global generator in between
        using var b = new AutoEncoder(seed: 11);
        using var c = new AutoEncoder(seed: 12);
        var first = a.Encoder.parameters().First();
        Assert.True(first.eq(b.Encoder.parameters().First()).all().item<bool>());
        Assert.False(first.eq(c.Encoder.parameters().First()).all().item<bool>());
        // PyTorch's default Linear initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        Assert.InRange(first.abs().max().item<float>(), 0.9 / Math.Sqrt(784), 1 / Math.Sqrt(784));
        Assert.InRange(a.Decoder.parameters().Last().abs().max().item<float>(), 0.9 / Math.Sqrt(1000), 1 / Math.Sqrt(1000));
    }
}
