using System.Globalization;

namespace SeriesPlatform.Domain.Exports;

/// <summary>
/// calendar.ics (RFC 5545) for one edition or a whole series: one VEVENT per active agenda item
/// with a start time, local times with TZID and a VTIMEZONE per zone. Cancelled items (and the
/// items of a cancelled edition) are left out; UIDs are stable and SEQUENCE counts the item's
/// changes, so subscribed calendars update in place.
/// </summary>
public static class ICalendarExport
{
    public const string ProductId = "-//SeriesPlatform//Schedule//EN";

    public static string Render(IEnumerable<(EditionState Edition, ExportContext Context)> editions)
    {
        ArgumentNullException.ThrowIfNull(editions);
        var list = editions.OrderBy(e => e.Edition.StartDate).ThenBy(e => e.Edition.Id).ToList();
        var events = list
            .SelectMany(e => ExportEvent.From(e.Edition, out _).Select(x => (e.Edition, e.Context, Event: x)))
            .OrderBy(x => x.Event.Start.UtcDateTime).ThenBy(x => x.Event.Order).ThenBy(x => x.Event.Id)
            .ToList();

        var w = new ICalendarWriter();
        w.Raw("BEGIN", "VCALENDAR");
        w.Raw("VERSION", "2.0");
        w.Raw("PRODID", ProductId);
        w.Raw("CALSCALE", "GREGORIAN");
        w.Raw("METHOD", "PUBLISH");
        if (list.Count == 1) w.Text("X-WR-CALNAME", ExportText.Line(list[0].Edition.Title) ?? list[0].Context.SeriesName);
        else if (list.Count > 1) w.Text("X-WR-CALNAME", ExportText.Line(list[0].Context.SeriesName) ?? list[0].Context.SeriesSlug);

        foreach (var zone in list.GroupBy(e => e.Edition.TimeZone, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var years = zone.SelectMany(e => YearsOf(e.Edition, e.Context))
                .Concat(events.Where(x => x.Edition.TimeZone == zone.Key).Select(x => x.Event.Start.Year))
                .ToList();
            ICalendarTimeZone.Write(w, zone.Key, years.Min(), years.Max());
        }

        foreach (var (edition, context, e) in events) WriteEvent(w, edition, context, e);
        w.Raw("END", "VCALENDAR");
        return w.ToString();
    }

    private static IEnumerable<int> YearsOf(EditionState edition, ExportContext context)
    {
        if (edition.StartDate is { } s) yield return s.Year;
        if (edition.EndDate is { } e) yield return e.Year;
        if (edition.Year is { } y) yield return y;
        if (edition.StartDate is null && edition.EndDate is null && edition.Year is null) yield return context.GeneratedAt.Year;
    }

    private static void WriteEvent(ICalendarWriter w, EditionState edition, ExportContext context, ExportEvent e)
    {
        var tzid = edition.TimeZone;
        w.Raw("BEGIN", "VEVENT");
        w.Raw("UID", $"{e.Id:D}@{context.BaseUrl.Host}");
        w.Raw("DTSTAMP", context.GeneratedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        w.Raw("SEQUENCE", e.Revision.ToString(CultureInfo.InvariantCulture));
        w.Raw($"DTSTART;TZID={tzid}", Local(e.Start));
        if (e.End is { } end) w.Raw($"DTEND;TZID={tzid}", Local(end));
        w.Text("SUMMARY", e.Title);
        var description = Description(e);
        if (description.Length > 0) w.Text("DESCRIPTION", description);
        var location = string.Join(", ", new[] { e.RoomAsGiven, ExportText.Line(edition.Venue?.Name) }
            .OfType<string>().Distinct(StringComparer.Ordinal));
        if (location.Length > 0) w.Text("LOCATION", location);
        w.Text("CATEGORIES", e.Type);
        w.Raw("URL", context.EditionUrl(edition.Id));
        w.Raw("END", "VEVENT");
    }

    private static string Local(DateTimeOffset t) => t.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    private static string Description(ExportEvent e)
    {
        var parts = new List<string>();
        var speakers = string.Join("\n", e.SpeakerLines);
        if (speakers.Length > 0) parts.Add(speakers);
        if (e.Abstract is { } a) parts.Add(a);
        if (e.SignupUrl is { } u) parts.Add("Poster sign-up: " + u);
        return string.Join("\n\n", parts);
    }
}
