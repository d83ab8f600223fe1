using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SeriesPlatform.Domain.Exports;

/// <summary>Text helpers shared by the exports: cleaning, slugs and name-based identifiers.</summary>
internal static class ExportText
{
    /// <summary>
    /// Drops characters that XML 1.0 and iCalendar TEXT cannot carry (control characters other than
    /// tab and line breaks, lone surrogates, U+FFFE/U+FFFF) and normalises line breaks to "\n".
    /// Escaping is left to the writers.
    /// </summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\r')
            {
                sb.Append('\n');
                if (i + 1 < value.Length && value[i + 1] == '\n') i++;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { sb.Append(c).Append(value[i + 1]); i++; }
            }
            else if (char.IsLowSurrogate(c) || c is '\uFFFE' or '\uFFFF' || (char.IsControl(c) && c is not ('\n' or '\t'))) { }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A cleaned, trimmed single-line value, or null when nothing is left.</summary>
    public static string? Line(string? value)
    {
        var s = Clean(value).Replace('\n', ' ').Replace('\t', ' ').Trim();
        return s.Length == 0 ? null : s;
    }

    /// <summary>Lower-case ASCII letters, digits and single hyphens; accents are dropped (é → e).</summary>
    public static string Slug(string? value, int max = 40)
    {
        var sb = new StringBuilder();
        foreach (var c in Clean(value).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var l = char.ToLowerInvariant(c);
            if (l is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(l);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= max) break;
        }
        return sb.ToString().Trim('-');
    }

    /// <summary>Lower-case letters, digits and underscores only (the voc schedule acronym alphabet).</summary>
    public static string Identifier(string? value)
    {
        var sb = new StringBuilder();
        foreach (var c in Slug(value, 80)) sb.Append(c == '-' ? '_' : c);
        return sb.ToString();
    }

    /// <summary>
    /// A positive 31-bit number derived from an id: the voc formats still require a legacy integer
    /// <c>id</c> per event. Stable across renders; collisions are resolved by the caller.
    /// </summary>
    public static int NumericId(Guid id)
    {
        var n = uint.Parse(id.ToString("N")[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x7FFF_FFFF;
        return n == 0 ? 1 : (int)n;
    }

    /// <summary>A name-based UUID (RFC 9562 version 5, SHA-1) so rooms get stable guids.</summary>
    public static Guid NameUuid(Guid ns, string name)
    {
        var nsBytes = ns.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var hash = SHA1.HashData([.. nsBytes, .. nameBytes]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static string Duration(int minutes) =>
        $"{minutes / 60:00}:{minutes % 60:00}";

    /// <summary>ISO 8601 with the local offset, e.g. 2022-08-08T09:15:00-04:00.</summary>
    public static string IsoOffset(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string IsoDate(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
