using System.Globalization;
using SeriesPlatform.Domain;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages;

/// <summary>How dates, times, places and links read on the pages (English, the sources' language).</summary>
public static class Format
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    public static string DayLong(DateOnly d) => d.ToString("dddd, MMMM d, yyyy", En);
    public static string DayShort(DateOnly d) => d.ToString("MMM d, yyyy", En);

    /// <summary>A wall-clock time in the edition's zone, with the instant machines can read.</summary>
    public static Html Time(DateTime local, DateTimeOffset? utc) =>
        H($"""<time datetime="{(utc is { } u ? u.ToString("yyyy-MM-dd'T'HH:mm'Z'", En) : local.ToString("yyyy-MM-dd'T'HH:mm", En))}">{local.ToString("HH:mm", En)}</time>""");

    public static Html Date(DateOnly d, string? text = null) =>
        H($"""<time datetime="{d.ToString("yyyy-MM-dd", En)}">{text ?? DayShort(d)}</time>""");

    public static Html Dates(DateOnly? start, DateOnly? end, int? year, string? asStated)
    {
        if (start is { } s && end is { } e)
            return s == e ? Date(s) : H($"{Date(s)} – {Date(e)}");
        if (asStated is not null) return Text(asStated);
        return year is { } y ? H($"""<time datetime="{y:D4}">{y}</time>""") : Text("Dates not known");
    }

    public static Html Place(Venue? venue, EditionFormat format, bool formatStated = true)
    {
        var where = venue is null ? null : string.Join(", ", new[] { venue.Name, venue.City, venue.Country }.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (formatStated && format == EditionFormat.Virtual) return Text(string.IsNullOrEmpty(where) ? "Virtual" : $"Virtual ({where})");
        if (string.IsNullOrEmpty(where)) return Text("Venue to be announced");
        return formatStated && format == EditionFormat.Hybrid ? Text($"{where} and online") : Text(where);
    }

    /// <summary>The zone with its abbreviation-like offset at a date ("America/New_York, UTC−04:00").</summary>
    public static string Zone(string zone, DateOnly? at)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var tz)) return zone;
        var when = (at ?? DateOnly.FromDateTime(DateTime.UtcNow)).ToDateTime(new TimeOnly(12, 0));
        var offset = tz.GetUtcOffset(when);
        return $"{zone}, UTC{(offset < TimeSpan.Zero ? "−" : "+")}{offset.Duration():hh\\:mm}";
    }

    /// <summary>Only http(s) links are followed; anything else (javascript:, data:) becomes a dead link.</summary>
    public static string SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) ? u.ToString() : "#";

    public static Html Link(Link link) => H($"""<a href="{SafeUrl(link.Url)}" rel="noopener">{link.Label}</a>""");

    public static string Kind(TalkKind? kind) => kind switch
    {
        null or TalkKind.Other => "",
        TalkKind.Remarks => "Remarks",
        _ => kind.Value.ToString(),
    };

    public static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
