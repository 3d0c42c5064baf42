namespace StyleLab.Weights;

/// <summary>
/// An object of a Torch7 class without a reader of its own (an <c>nn.SpatialConvolution</c>, an nngraph
/// node, a <c>torch.class("Blah")</c> instance): its class name, the serialisation version and its fields.
/// </summary>
public sealed class Torch7Object
{
    internal Torch7Object(string className, int version)
    {
        ClassName = className;
        Version = version;
    }

    /// <summary>The class name as Lua's <c>torch.typename</c> gives it (<c>nn.SpatialConvolution</c>).</summary>
    public string ClassName { get; }

    /// <summary>The number after "V " in the file (0 for files written before versions existed).</summary>
    public int Version { get; }

    /// <summary>The object's fields; Torch writes them as one table (null only while it is being read).</summary>
    public Torch7Table? Fields { get; internal set; }

    /// <summary>A field's value, or null.</summary>
    public object? this[string field] => Fields?[field];

    public override string ToString() => ClassName;
}
