namespace StyleLab.Encoders;

/// <summary>Which VGG-19 weights a method that takes any VGG uses when none is named.</summary>
public static class VggChoice
{
    /// <summary>Full Caffe weights (what Gatys used), then torchvision's, then the partial Caffe file of ../shared.</summary>
    public static IReadOnlyList<string> Preferred { get; } = ["vgg19-caffe", "vgg19-torchvision", "vgg19-caffe-partial"];
}
