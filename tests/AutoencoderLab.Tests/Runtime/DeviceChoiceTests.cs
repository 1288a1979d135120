using AutoencoderLab.Runtime;
using TorchSharp;

namespace AutoencoderLab.Tests.Runtime;

public class DeviceChoiceTests
{
    [Fact]
    public void Auto_picks_cuda_when_present_and_the_cpu_otherwise()
    {
        Assert.Equal(DeviceType.CPU, DeviceChoice.Resolve("auto", () => false).type);
        Assert.Equal(DeviceType.CUDA, DeviceChoice.Resolve("auto", () => true).type);
        Assert.Equal(DeviceType.CUDA, DeviceChoice.Resolve("cuda:1", () => true).type);
        Assert.Equal(1, DeviceChoice.Resolve("cuda:1", () => true).index);
    }

    [Fact]
    public void Cpu_is_always_available()
    {
        Assert.Equal(DeviceType.CPU, DeviceChoice.Resolve(" CPU ").type);
    }

    [Fact]
    public void Asking_for_missing_cuda_is_a_clear_error_not_a_fallback()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => DeviceChoice.Resolve("cuda", () => false));
        Assert.Contains("TorchBackend=cuda", error.Message);
        Assert.Contains("--device cpu", error.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void Unknown_devices_are_refused(string name)
    {
        var error = Assert.Throws<InvalidSettingsException>(() => DeviceChoice.Resolve(name, () => true));
        Assert.Contains(DeviceChoice.Accepted, error.Message);
        Assert.False(DeviceChoice.IsValid(name));
    }

    [Fact]
    public void This_machine_resolves_auto_to_what_libtorch_reports()
    {
        var expected = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, DeviceChoice.Resolve("auto").type);
    }
}
