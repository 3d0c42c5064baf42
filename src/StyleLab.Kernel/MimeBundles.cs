using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace StyleLab.Kernel;

/// <summary>
/// Turns a value into a Jupyter mime bundle (mime type → text). Front-end libraries plug in
/// here to show images, charts and views richly; everything else goes through
/// <see cref="Formatter"/>.
/// </summary>
/// <remarks>
/// A provider sees every value and returns null for those it does not handle; the most
/// recently registered provider is asked first. Without a provider, a value gets
/// <c>text/plain</c>, plus every other mime type for which a formatter was registered for its
/// type with <see cref="Formatter.Register{T}(Func{T,string},string)"/> (and <c>text/html</c>
/// for <see cref="IHtmlContent"/>). The generic HTML table formatters are deliberately not
/// used: they would turn <c>1 + 2</c> into a styled table.
/// </remarks>
public static class MimeBundles
{
    static readonly object Gate = new();
    static Func<object, IDictionary<string, object>?>[] _providers = [];

    /// <summary>Adds a provider, asked before those registered earlier.</summary>
    public static void Register(Func<object, IDictionary<string, object>?> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (Gate) _providers = [provider, .. _providers];
    }

    /// <summary>Removes a provider added with <see cref="Register"/>.</summary>
    public static void Unregister(Func<object, IDictionary<string, object>?> provider)
    {
        lock (Gate) _providers = _providers.Where(p => p != provider).ToArray();
    }

    /// <summary>The mime bundle for <paramref name="value"/>; always has <c>text/plain</c>.</summary>
    public static IDictionary<string, object> For(object? value)
    {
        if (value is null) return new Dictionary<string, object> { ["text/plain"] = Formatter.NullString };
        foreach (var provider in Volatile.Read(ref _providers))
            if (provider(value) is { Count: > 0 } bundle)
            {
                if (!bundle.ContainsKey("text/plain"))
                    bundle = new Dictionary<string, object>(bundle) { ["text/plain"] = PlainText(value) };
                return bundle;
            }
        return FromFormatter(value);
    }

    static Dictionary<string, object> FromFormatter(object value)
    {
        var bundle = new Dictionary<string, object>();
        foreach (string mime in RichMimeTypes(value.GetType()))
            bundle[mime] = Formatter.ToDisplayString(value, mime);
        bundle["text/plain"] = PlainText(value);
        return bundle;
    }

    static IEnumerable<string> RichMimeTypes(Type type)
    {
        var mimes = Formatter.RegisteredFormatters(false)
            .Where(f => f.MimeType != PlainTextFormatter.MimeType && f.Type.IsAssignableFrom(type))
            .Select(f => f.MimeType)
            .ToHashSet();
        if (typeof(IHtmlContent).IsAssignableFrom(type)) mimes.Add(HtmlFormatter.MimeType);
        return mimes;
    }

    static string PlainText(object value) => value switch
    {
        string s => s,
        _ => Formatter.ToDisplayString(value, PlainTextFormatter.MimeType),
    };
}
