namespace StyleLab.Methods;

/// <summary>A method's weights were not found; the message says where StyleLab looked and how to get or train them.</summary>
public sealed class MissingWeightsException : FileNotFoundException
{
    /// <summary>A message that names the method, what is missing and the remedy.</summary>
    public MissingWeightsException(string message, Exception? inner = null) : base(message, inner) { }
}
