using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>Shape checks shared by the imaging functions, with messages that name the tensor.</summary>
static class ImageTensors
{
    /// <summary>The [3,H,W] view of a single image given as [1,3,H,W] or [3,H,W].</summary>
    public static Tensor SingleImage(Tensor image, string name) => image.dim() switch
    {
        3 when image.shape[0] == 3 => image,
        4 when image.shape[0] == 1 && image.shape[1] == 3 => image[0],
        4 when image.shape[1] == 3 => throw new ArgumentException(
            $"'{name}' holds a batch of {image.shape[0]} images; pass one image ([1,3,H,W] or [3,H,W]).", name),
        _ => throw new ArgumentException(
            $"'{name}' must be an RGB image [1,3,H,W] or [3,H,W], but has shape [{string.Join(",", image.shape)}].", name),
    };

    /// <summary>Requires an RGB batch [N,3,H,W].</summary>
    public static void RequireBatch(Tensor images, string name)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException(
                $"'{name}' must be RGB images [N,3,H,W], but has shape [{string.Join(",", images.shape)}].", name);
    }
}
