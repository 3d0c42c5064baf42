namespace StyleLab.Batch;

/// <summary>How a <see cref="BatchRecipe"/> pairs each content image with styles.</summary>
public enum Pairing
{
    /// <summary>One style drawn at random per content image (Stylized-ImageNet).</summary>
    Random,
    /// <summary>Every content with every style.</summary>
    All,
    /// <summary>K distinct styles drawn at random per content image.</summary>
    PerContent,
}
