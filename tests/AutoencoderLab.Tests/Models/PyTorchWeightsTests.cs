using AutoencoderLab.Models;
using AutoencoderLab.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AutoencoderLab.Tests.Models;

public class PyTorchWeightsTests
{
    static readonly string[] OriginalKeys =
    [
        "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "encoder.4.weight", "encoder.4.bias",
        "decoder.1.weight", "decoder.1.bias", "decoder.3.weight", "decoder.3.bias",
    ];

    [Fact]
    public void Keys_are_the_original_Sequential_positions()
    {
        using var model = new AutoEncoder(seed: 1);
        Assert.Equal(OriginalKeys, PyTorchWeights.Parameters(model).Select(p => p.Key));
        Assert.Equal([1000L, 784], PyTorchWeights.Parameters(model)[0].Parameter.shape);
        Assert.Equal([784L], PyTorchWeights.Parameters(model)[^1].Parameter.shape);
    }

    [Fact]
    public void Save_then_load_gives_back_every_weight_into_the_models_own_parameters()
    {
        using var folder = new TempDirectory();
        using var saved = new AutoEncoder(seed: 1);
        using var loaded = new AutoEncoder(seed: 2);
        var before = loaded.parameters().ToList();
        PyTorchWeights.Save(saved, folder.File("model.pt"));

        PyTorchWeights.Load(loaded, folder.File("model.pt"));

        foreach (var ((key, a), (_, b)) in PyTorchWeights.Parameters(saved).Zip(PyTorchWeights.Parameters(loaded)))
            Assert.True(a.eq(b).all().item<bool>(), $"{key} differs after the round trip");
        Assert.Equal(before, loaded.parameters()); // same Parameter objects: an optimiser built before keeps following them
    }

    [Fact]
    public void A_file_with_other_keys_is_refused_naming_them_and_the_model_is_unchanged()
    {
        using var folder = new TempDirectory();
        using var model = new AutoEncoder(seed: 1);
        using var original = model.parameters().First().detach().clone();
        var state = PyTorchWeights.Parameters(new AutoEncoder(seed: 2)).ToDictionary(p => p.Key == "encoder.2.weight" ? "encoder.linear2.weight" : p.Key, p => (Tensor)p.Parameter);
        PyTorchPickler.PickleStateDict(folder.File("renamed.pt"), state);

        var e = Assert.Throws<AutoencoderLabException>(() => PyTorchWeights.Load(model, folder.File("renamed.pt")));

        Assert.Contains("missing encoder.2.weight", e.Message);
        Assert.Contains("unexpected encoder.linear2.weight", e.Message);
        Assert.True(model.parameters().First().eq(original).all().item<bool>());
    }

    [Fact]
    public void A_file_with_other_shapes_is_refused_naming_the_tensor_and_both_shapes()
    {
        using var folder = new TempDirectory();
        using var model = new AutoEncoder(seed: 1);
        var state = PyTorchWeights.Parameters(model).ToDictionary(p => p.Key, p => p.Key == "decoder.1.bias" ? zeros(999) : (Tensor)p.Parameter);
        PyTorchPickler.PickleStateDict(folder.File("shape.pt"), state);

        var e = Assert.Throws<AutoencoderLabException>(() => PyTorchWeights.Load(model, folder.File("shape.pt")));

        Assert.Contains("decoder.1.bias is [999], the model's is [1000]", e.Message);
    }

    [Fact]
    public void A_file_that_is_no_state_dict_is_refused_clearly()
    {
        using var folder = new TempDirectory();
        using var model = new AutoEncoder(seed: 1);
        File.WriteAllText(folder.File("text.pt"), "not a pickle");

        var e = Assert.Throws<AutoencoderLabException>(() => PyTorchWeights.Load(model, folder.File("text.pt")));
        Assert.Contains("not a PyTorch state dict", e.Message);
        Assert.Contains("no such PyTorch weights file", Assert.Throws<AutoencoderLabException>(() => PyTorchWeights.Load(model, folder.File("absent.pt"))).Message);
    }
}
