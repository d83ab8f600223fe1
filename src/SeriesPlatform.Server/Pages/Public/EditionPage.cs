using System.Globalization;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Public;

/// <summary>
/// <c>/editions/{id}[?asOf=]</c>: the agenda by day in the edition's local time, with its exports.
/// With asOf (a date-time picker value, read in the edition's zone, or an ISO instant) it is the
/// agenda as it stood at that moment, folded from the events up to then.
/// </summary>
public static class EditionPage
{
    public static void MapEditionPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/editions/{id:guid}", async (Guid id, string? asOf, CommandHandler handler, CancellationToken ct) =>
        {
            var current = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
            if (!current.Exists) throw new NotFound($"There is no edition {id}.");
            var moment = Moment(asOf, current.TimeZone);
            var e = moment is { } at ? await handler.LoadAsOfAsync<EditionState>(Aggregates.EditionStream(id), at, ct) : current;
            var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(current.SeriesSlug), ct);
            return new Page(current.Title, Render(e, current, series, moment, asOf));
        });

    /// <summary>
    /// A picker sends "2022-08-01T09:00" with no zone: it means that wall-clock time where the
    /// edition happens (the zone every time on the page is in). A full instant is taken as is.
    /// </summary>
    public static DateTimeOffset? Moment(string? asOf, string zone)
    {
        if (string.IsNullOrWhiteSpace(asOf)) return null;
        string[] local = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];
        if (DateTime.TryParseExact(asOf.Trim(), local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            var errors = new Dictionary<string, string[]>();
            if (!LocalTimes.InRange(DateOnly.FromDateTime(wall), "asOf", errors)) LocalTimes.ThrowIfAny(errors);
            var tz = WallClock.Zone(zone);
            // A wall-clock time skipped by a DST change still names a moment: the one just after the gap.
            while (tz.IsInvalidTime(wall)) wall = wall.AddMinutes(1);
            return WallClock.ToUtc(wall, zone, "asOf");
        }
        return LocalTimes.ParseInstant(asOf, "asOf");
    }

    private static Html Render(EditionState e, EditionState current, SeriesState series, DateTimeOffset? moment, string? asOf)
    {
        var query = moment is { } m ? $"?asOf={Uri.EscapeDataString(m.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture))}" : "";
        var exports = H($"""
            <ul class="exports no-print" aria-label="Exports">
            <li><a href="/api/editions/{current.Id}/calendar.ics{query}">Calendar (.ics)</a></li>
            <li><a href="/api/editions/{current.Id}/schedule.xml{query}">schedule.xml</a></li>
            <li><a href="/api/editions/{current.Id}/schedule.json{query}">schedule.json</a></li>
            <li><a href="/editions/{current.Id}/releases">Agenda releases</a></li>
            </ul>
            """);
        var body = e.Exists
            ? H($"""
                {Summary(e)}
                {exports}
                {AgendaMarkup.Days(e, AgendaView.Build(e))}
                {AgendaMarkup.Breakouts(e)}
                {Organizers(e)}
                """)
            : H($"<p>The edition had not been planned yet at that moment.</p>");
        return H($"""
            <p class="meta"><a href="/series/{series.Slug}">{series.Name}</a></p>
            <h1>{current.Title}</h1>
            {Historian(current, moment, asOf)}
            {body}
            """);
    }

    private static Html Summary(EditionState e) => H($"""
        <p class="lead">{Format.Dates(e.StartDate, e.EndDate, e.Year, e.DatesAsStated ?? e.DatesWithoutYear)} · {Format.Place(e.Venue, e.Format, e.FormatStated)}</p>
        {(e.Status is EditionStatus.Cancelled ? H($"""<p class="notice">This edition was cancelled{(e.CancellationReason is null ? "" : $": {e.CancellationReason}")}.</p>""") : Empty)}
        {(e.TimeZoneStated ? H($"""<p class="meta">All times are local to the venue: {Format.Zone(e.TimeZone, e.StartDate)}.</p>""") : Empty)}
        {(e.Description is null ? Empty : AgendaMarkup.Paragraphs(e.Description))}
        {(e.Links.Count == 0 ? Empty : H($"""<ul class="exports">{e.Links.Select(l => H($"<li>{Format.Link(l)}</li>"))}</ul>"""))}
        """);

    /// <summary>The time-travel form, and a plain statement of which moment the page shows.</summary>
    private static Html Historian(EditionState current, DateTimeOffset? moment, string? asOf)
    {
        var value = moment is { } m ? WallClock.ToLocal(m, current.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : "";
        var statement = moment is { } at
            ? H($"""
                <p class="notice" role="status" id="as-of-statement">Showing the agenda as it stood at
                <time datetime="{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}">{WallClock.ToLocal(at, current.TimeZone):yyyy-MM-dd HH:mm:ss}</time> ({current.TimeZone}),
                that is {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. <a href="/editions/{current.Id}">Show the current agenda</a></p>
                """)
            : Empty;
        return H($"""
            {statement}
            <form method="get" action="/editions/{current.Id}" class="stacked no-print" role="search" aria-label="Time travel">
            <div class="field">
            <label for="asOf">Show the agenda as it stood at</label>
            <p class="hint" id="asOf-hint">A date and time in {current.TimeZone}.</p>
            <input id="asOf" name="asOf" type="datetime-local" step="1" value="{value}" aria-describedby="asOf-hint">
            </div>
            <button type="submit" class="secondary">Show</button>
            </form>
            """);
    }

    private static Html Organizers(EditionState e) => e.Organizers.Count == 0 ? Empty : H($"""
        <section aria-labelledby="organizers"><h2 id="organizers">Organizers</h2>
        <ul>{e.Organizers.Select(o => H($"<li>{AgendaMarkup.SpeakerText(new SpeakerRef(o.PersonName, o.Affiliation))}</li>"))}</ul></section>
        """);
}
