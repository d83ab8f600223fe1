using System.Text.RegularExpressions;

namespace SeriesPlatform.Domain.Exports;

internal sealed record ScheduleRoom(string Name, Guid Guid, IReadOnlyList<ExportEvent> Events);

internal sealed record ScheduleDay(int Index, DateOnly Date, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<ScheduleRoom> Rooms);

/// <summary>
/// The frab/pretalx "voc schedule" view of an edition, shared by schedule.xml and schedule.json:
/// days (1-based index) holding rooms holding events.
/// </summary>
internal sealed partial class ScheduleModel
{
    /// <summary>An edition whose dates span at most this many days shows every one of them, even empty.</summary>
    private const int MaxEmptyDaysShown = 31;

    public required string Acronym { get; init; }
    public required string Title { get; init; }
    public required string TimeZone { get; init; }
    public required string Version { get; init; }
    public required string BaseUrl { get; init; }
    public required string ConferenceUrl { get; init; }
    public required string ScheduleUrl { get; init; }
    public required IReadOnlyList<ScheduleDay> Days { get; init; }
    public required IReadOnlyList<(string Name, Guid Guid)> Rooms { get; init; }
    public required IReadOnlyList<Guid> Untimed { get; init; }
    public required bool EditionCancelled { get; init; }
    public required int TimeslotMinutes { get; init; }
    public required bool DaysArePlaceholder { get; init; }

    public DateOnly Start => Days[0].Date;
    public DateOnly End => Days[^1].Date;

    /// <summary>The JSON schema only admits zone names like Area/City or UTC (its own regex, kept as written).</summary>
    public bool TimeZoneFitsJsonSchema => JsonTimeZonePattern().IsMatch(TimeZone);

    public string EventUrl(ExportEvent e) => $"{ConferenceUrl}#item-{e.Id:D}";

    /// <summary>Acronym prefix + number + title: matches both the XSD voc-slug-new and the JSON slug pattern.</summary>
    public string Slug(ExportEvent e)
    {
        var title = ExportText.Slug(e.Title);
        return $"{Acronym}-{e.NumericId}-{(title.Length == 0 ? e.Type : title)}";
    }

    public static ScheduleModel Build(EditionState edition, ExportContext context, string extension)
    {
        var zone = WallClock.Zone(edition.TimeZone);
        var events = ExportEvent.From(edition, out var untimed);
        var venue = ExportText.Line(edition.Venue?.Name);

        var dates = new SortedSet<DateOnly>(events.Select(e => e.Day));
        if (edition.StartDate is { } from && edition.EndDate is { } to && to >= from && to.DayNumber - from.DayNumber < MaxEmptyDaysShown)
            for (var d = from; d <= to; d = d.AddDays(1)) dates.Add(d);
        // The XSD requires at least one day: an edition without dates gets one empty placeholder day.
        var placeholder = dates.Count == 0;
        if (placeholder)
            dates.Add(edition.StartDate
                ?? (edition.Year is { } y ? new DateOnly(y, 1, 1) : DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.GeneratedAt, zone).DateTime)));

        var roomGuids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        Guid RoomGuid(string name) => roomGuids.TryGetValue(name, out var g) ? g : roomGuids[name] = ExportText.NameUuid(edition.Id, "room:" + name);

        var days = new List<ScheduleDay>();
        foreach (var date in dates)
        {
            var todays = events.Where(e => e.Day == date).ToList();
            var rooms = todays.GroupBy(e => e.Room, StringComparer.Ordinal)
                .OrderBy(g => g.Min(e => e.Start)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ScheduleRoom(g.Key, RoomGuid(g.Key), [.. g]))
                .ToList();
            var (start, end) = todays.Count > 0
                ? (todays.Min(e => e.Start), todays.Max(e => e.End ?? e.Start))
                : (AtMidnight(date, zone), AtMidnight(date.AddDays(1), zone));
            days.Add(new ScheduleDay(days.Count + 1, date, start, end, rooms));
        }

        var year = edition.Year ?? edition.StartDate?.Year;
        var acronym = ExportText.Identifier(context.SeriesSlug);
        if (acronym.Length == 0) acronym = "series";
        acronym += "_" + (year is { } yr ? yr.ToString(System.Globalization.CultureInfo.InvariantCulture) : edition.Id.ToString("N"));

        return new ScheduleModel
        {
            Acronym = acronym,
            Title = ExportText.Line(edition.Title) ?? ExportText.Line(context.SeriesName) ?? acronym,
            TimeZone = edition.TimeZone,
            Version = ExportText.Line(context.Version) ?? "live",
            BaseUrl = context.Root + "/",
            ConferenceUrl = context.EditionUrl(edition.Id),
            ScheduleUrl = $"{context.Root}/api/editions/{edition.Id:D}/{extension}",
            Days = days,
            Rooms = [.. days.SelectMany(d => d.Rooms).Select(r => r.Name).Distinct(StringComparer.Ordinal).Select(n => (n, RoomGuid(n)))],
            Untimed = untimed,
            EditionCancelled = edition.Status == EditionStatus.Cancelled,
            TimeslotMinutes = Timeslot(events),
            DaysArePlaceholder = placeholder,
        };
    }

    /// <summary>The largest step that every start (minute of the day) and every duration is a multiple of.</summary>
    private static int Timeslot(IReadOnlyList<ExportEvent> events)
    {
        var g = 0;
        foreach (var e in events)
        {
            g = Gcd(g, e.Start.Hour * 60 + e.Start.Minute);
            g = Gcd(g, e.DurationMinutes);
        }
        if (g == 0) return 15;
        var slot = Math.Min(g, 60);
        while (g % slot != 0) slot--;
        return slot;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static DateTimeOffset AtMidnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30); // zones whose DST starts at midnight
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    [GeneratedRegex("^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")]
    private static partial Regex JsonTimeZonePattern();
}
