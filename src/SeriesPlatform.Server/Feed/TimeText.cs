namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Recognizes dates and times written exactly as System.Text.Json writes them, so the feed can copy
/// such text instead of parsing and formatting it again (the same bytes either way). The forms:
/// DateOnly <c>yyyy-MM-dd</c>; DateTime (unspecified kind) <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c>;
/// DateTimeOffset the same followed by <c>±hh:mm</c> (a zero offset is <c>+00:00</c>). A fraction
/// has 1–7 digits and never ends in 0 (the serializer trims trailing zeros, and drops a zero fraction).
/// Anything else (a <c>Z</c>, a trailing zero, an out-of-range field) is not canonical: parse it.
/// </summary>
public static class TimeText
{
    public static bool IsDate(ReadOnlySpan<byte> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-') return false;
        int year = Number(text[..4]), month = Number(text.Slice(5, 2)), day = Number(text.Slice(8, 2));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    public static bool IsCanonicalLocal(ReadOnlySpan<byte> text)
    {
        if (text.Length < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || !IsDate(text[..10])) return false;
        if (Number(text.Slice(11, 2)) is < 0 or > 23 || Number(text.Slice(14, 2)) is < 0 or > 59 || Number(text.Slice(17, 2)) is < 0 or > 59) return false;
        if (text.Length == 19) return true;
        var fraction = text[20..];
        return text[19] == '.' && fraction.Length is >= 1 and <= 7 && fraction[^1] != '0' && Number(fraction) >= 0;
    }

    public static bool IsCanonicalInstant(ReadOnlySpan<byte> text)
    {
        if (text.Length < 25) return false;
        var offset = text[^6..];
        if (offset[0] is not ((byte)'+' or (byte)'-') || offset[3] != ':') return false;
        int hours = Number(offset.Slice(1, 2)), minutes = Number(offset.Slice(4, 2));
        if (hours is < 0 or > 14 || minutes is < 0 or > 59 || hours == 14 && minutes != 0 || offset[0] == '-' && hours == 0 && minutes == 0) return false;
        // Years at the ends of the range could leave DateTimeOffset's range once the offset is applied: let the parser judge.
        var local = text[..^6];
        return IsCanonicalLocal(local) && Number(local[..4]) is > 1 and < 9999;
    }

    /// <summary>The decimal digits as a number; negative when any is not a digit.</summary>
    private static int Number(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
