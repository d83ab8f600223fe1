using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace SeriesPlatform.Server.Pages;

/// <summary>
/// Markup that is already safe to send. The only ways to get one are the <see cref="H"/> template
/// (whose holes are encoded unless they are Html themselves) and <see cref="Trusted"/> for literals
/// written in this code, so user text cannot reach a page unencoded by accident.
/// </summary>
public readonly struct Html
{
    private readonly string? _value;
    private Html(string value) => _value = value;

    public static Html Empty => default;
    public override string ToString() => _value ?? "";

    /// <summary>For markup written by us (never for data): a literal tag, an entity.</summary>
    public static Html Trusted(string literal) => new(literal);

    public static Html Text(string? text) => new(WebUtility.HtmlEncode(text ?? ""));

    /// <summary>The template: <c>Html.H($"&lt;p&gt;{name}&lt;/p&gt;")</c> encodes <c>name</c>.</summary>
    public static Html H(ref HtmlTemplate template) => new(template.ToStringAndClear());

    public static Html Join(IEnumerable<Html> parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append(p._value);
        return new Html(sb.ToString());
    }

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public static Html operator +(Html a, Html b) => new(a._value + b._value);
}

/// <summary>Collects a template: literal parts go in as written, holes are HTML-encoded (quotes too, so attributes are safe).</summary>
[InterpolatedStringHandler]
public ref struct HtmlTemplate
{
    private StringBuilder _sb;

    public HtmlTemplate(int literalLength, int formattedCount) => _sb = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string literal) => _sb.Append(literal);

    public void AppendFormatted(Html html) => _sb.Append(html.ToString());

    public void AppendFormatted(string? text) => _sb.Append(WebUtility.HtmlEncode(text ?? ""));

    public void AppendFormatted<T>(T value)
    {
        switch (value)
        {
            case null: return;
            case Html html: _sb.Append(html.ToString()); return;
            // A List<Html> binds here (exact match beats the interface), so sequences are handled here too.
            case IEnumerable<Html> parts: foreach (var p in parts) _sb.Append(p.ToString()); return;
            case IFormattable f: AppendFormatted(f.ToString(null, CultureInfo.InvariantCulture)); return;
            default: AppendFormatted(value.ToString()); return;
        }
    }

    public void AppendFormatted<T>(T value, string format) where T : IFormattable =>
        AppendFormatted(value.ToString(format, CultureInfo.InvariantCulture));

    public string ToStringAndClear()
    {
        var s = _sb.ToString();
        _sb = null!;
        return s;
    }
}
