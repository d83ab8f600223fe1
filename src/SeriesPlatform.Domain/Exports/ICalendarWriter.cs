using System.Text;

namespace SeriesPlatform.Domain.Exports;

/// <summary>RFC 5545 content lines: CRLF, folded at 75 octets without splitting a UTF-8 sequence.</summary>
internal sealed class ICalendarWriter
{
    private const int MaxOctets = 75;
    private readonly StringBuilder _sb = new();

    /// <summary>A property whose value is already in its final form (dates, URIs, numbers).</summary>
    public ICalendarWriter Raw(string nameAndParameters, string value)
    {
        Fold(nameAndParameters + ":" + value);
        return this;
    }

    /// <summary>A TEXT property: the value is cleaned and escaped (<c>\ ; , newline</c>).</summary>
    public ICalendarWriter Text(string name, string value) => Raw(name, EscapeText(value));

    public static string EscapeText(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in ExportText.Clean(value))
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case ';': sb.Append("\\;"); break;
                case ',': sb.Append("\\,"); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private void Fold(string line)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > MaxOctets)
            {
                _sb.Append("\r\n ");
                octets = 1; // the leading space of a continuation line counts
            }
            _sb.Append(rune.ToString());
            octets += size;
        }
        _sb.Append("\r\n");
    }

    public override string ToString() => _sb.ToString();
}
