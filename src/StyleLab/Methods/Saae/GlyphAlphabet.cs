namespace StyleLab.Methods.Saae;

/// <summary>The k = 36 character classes of the paper's character experiments: A–Z then 0–9.</summary>
public static class GlyphAlphabet
{
    /// <summary>Every class, in label order.</summary>
    public const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>k, the number of real classes (the discriminator has k + 1 outputs).</summary>
    public static int Count => Characters.Length;

    /// <summary>The label of <paramref name="character"/> (upper-cased).</summary>
    /// <exception cref="ArgumentException">Not a letter or digit of the alphabet.</exception>
    public static int Label(char character)
    {
        int label = Characters.IndexOf(char.ToUpperInvariant(character));
        return label >= 0 ? label : throw new ArgumentException($"'{character}' is not one of the SAAE characters ({Characters}).", nameof(character));
    }
}
