using StyleLab.Runtime;
using TorchSharp;

namespace StyleLab.Tests.Runtime;

public class RuntimeTests
{
    [Fact]
    public void Libtorch_loads_from_the_project_natives_and_computes()
    {
        TorchRuntime.EnsureLoaded();
        using var x = torch.ones(2, 3);
        Assert.Equal(6.0, x.sum().item<float>());
        Assert.NotNull(TorchRuntime.NativeDirectory);
    }

    [Fact]
    public void Cpu_is_the_default_and_an_unavailable_cuda_is_a_clear_error()
    {
        Assert.Equal(DeviceType.CPU, TorchRuntime.ParseDevice(null).type);
        if (!torch.cuda.is_available())
        {
            var e = Assert.Throws<InvalidOperationException>(() => TorchRuntime.ParseDevice("cuda"));
            Assert.Contains("CUDA", e.Message);
        }
    }
}
