namespace StyleLab.Imaging;

/// <summary>What went wrong with an image file; carried by <see cref="ImageFileException"/>.</summary>
public enum ImageFileProblem
{
    /// <summary>There is no file at the path.</summary>
    NotFound,
    /// <summary>The file has no bytes.</summary>
    Empty,
    /// <summary>The bytes are not an image in a format StyleLab reads (JPEG, PNG, WebP, BMP, GIF).</summary>
    UnsupportedFormat,
    /// <summary>The file ends before the image does (an interrupted download or copy).</summary>
    Truncated,
    /// <summary>The image data is damaged.</summary>
    Corrupt,
    /// <summary>The image has more pixels than <see cref="ImageLoadOptions.MaxPixels"/> allows.</summary>
    TooManyPixels,
    /// <summary>The image could not be written (unknown extension, or the encoder failed).</summary>
    CannotWrite,
    /// <summary>The path is a device, FIFO, socket or folder, not a regular file.</summary>
    NotAFile,
    /// <summary>The file has more bytes than <see cref="ImageLoadOptions.MaxFileBytes"/> allows.</summary>
    TooLarge,
    /// <summary>The image is too small for what it was asked to do (a 1×1 picture as a content image).</summary>
    TooSmall,
}
