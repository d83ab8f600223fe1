using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Series;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Public;

/// <summary><c>/series/{slug}</c>: the series and the timeline of its editions (dates, place, zone, counts).</summary>
public static class SeriesPage
{
    public static void MapSeriesPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/series/{slug}", async (string slug, CommandHandler handler, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(slug), ct);
            if (!series.Exists) throw new NotFound($"There is no series '{slug}'.");
            var editions = await SeriesEndpoints.EditionsOf(db, slug, ct);
            var timeline = editions.Select(e => H($"""
                <li class="{e.Status}">
                <h3><a href="/editions/{e.Id}">{e.Title}</a>{(e.Status is "cancelled" or "concluded" ? H($""" <span class="badge">{e.Status}</span>""") : Empty)}</h3>
                <p class="meta">{Format.Dates(e.StartDate, e.EndDate, e.Year, e.DatesAsStated)} · {Format.Place(e.Venue, Enum.Parse<EditionFormat>(e.Format, true))} · {Format.Zone(e.TimeZone, e.StartDate)}</p>
                <ul class="counts">
                <li>{Format.Count(e.Talks, "talk", "talks")}</li><li>{Format.Count(e.Posters, "poster", "posters")}</li>
                <li>{Format.Count(e.Breakouts, "breakout", "breakouts")}</li><li>{Format.Count(e.Attendees, "attendee", "attendees")}</li>
                </ul>
                </li>
                """)).ToList();
            var organizers = series.Organizers.Select(o => H($"<li>{o.PersonName}{(o.Affiliation is null ? "" : $", {o.Affiliation}")}{(o.Role is null ? "" : $" ({o.Role})")}</li>"));
            return new Page(series.Name, H($"""
                <h1>{series.Name}</h1>
                {(series.Description is null ? Empty : H($"""<p class="lead">{series.Description}</p>"""))}
                {(series.Links.Count == 0 ? Empty : H($"""<ul class="exports">{series.Links.Select(l => H($"<li>{Format.Link(l)}</li>"))}</ul>"""))}
                <p><a href="/api/series/{slug}/calendar.ics">Calendar of all editions (iCalendar)</a></p>
                <h2>Editions</h2>
                {(timeline.Count == 0 ? H($"<p>No editions yet.</p>") : H($"""<ol class="timeline">{timeline}</ol>"""))}
                {(series.Organizers.Count == 0 ? Empty : H($"<h2>Organizers</h2><ul>{organizers}</ul>"))}
                """));
        });
}
