using System.Globalization;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// <c>/editions/{id}/releases</c>: the numbered agenda releases with their changelogs, read from the
/// edition's own AgendaPublished events (what the releases API serves too). Each release links to
/// the agenda as it stood then and to its frozen exports.
/// </summary>
public static class ReleasesPage
{
    public static void MapReleasesPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/editions/{id:guid}/releases", async (Guid id, CommandHandler handler, PostgresEventStore store, CancellationToken ct) =>
        {
            var e = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
            if (!e.Exists) throw new NotFound($"There is no edition {id}.");
            var releases = new List<AgendaPublished>();
            await foreach (var recorded in store.ReadStreamAsync(Aggregates.EditionStream(id), ct: ct))
                if (recorded.Data is AgendaPublished p) releases.Add(p);
            var list = releases.AsEnumerable().Reverse().Select(r => H($"""
                <li id="release-{r.Version}">
                <h2>Release {r.Version} <span class="meta">· <time datetime="{r.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}">{WallClock.ToLocal(r.At, e.TimeZone):yyyy-MM-dd HH:mm}</time> ({e.TimeZone})</span></h2>
                {(r.Note is null ? Empty : H($"<p>{r.Note}</p>"))}
                {(r.Changes.Count == 0 ? H($"<p>First release.</p>") : H($"<ul>{r.Changes.Select(Change)}</ul>"))}
                <ul class="exports">
                <li><a href="/editions/{id}?asOf={Uri.EscapeDataString(r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture))}">Agenda as released</a></li>
                <li><a href="/api/editions/{id}/releases/{r.Version}/calendar.ics">Calendar (.ics)</a></li>
                <li><a href="/api/editions/{id}/releases/{r.Version}/schedule.xml">schedule.xml</a></li>
                <li><a href="/api/editions/{id}/releases/{r.Version}/schedule.json">schedule.json</a></li>
                </ul>
                </li>
                """)).ToList();
            return new Page($"Releases · {e.Title}", H($"""
                <p class="meta"><a href="/editions/{id}">{e.Title}</a></p>
                <h1>Agenda releases</h1>
                {(list.Count == 0 ? H($"<p>No agenda release has been published yet.</p>") : H($"""<ol class="timeline">{list}</ol>"""))}
                """));
        });

    private static Html Change(AgendaChange c)
    {
        var what = c.Title ?? (c.Kind == AgendaItemKind.Talk ? "Details to come" : c.Kind.ToString());
        string When(DateTime? t) => t is { } v ? v.ToString("ddd HH:mm", CultureInfo.GetCultureInfo("en-US")) : "no time";
        return c.Change switch
        {
            AgendaChangeKind.Added => H($"<li><strong>Added</strong> {what} ({When(c.StartLocal)})</li>"),
            AgendaChangeKind.Moved => H($"<li><strong>Moved</strong> {what}: {When(c.PreviousStartLocal)} → {When(c.StartLocal)}{(c.PreviousRoom != c.Room ? $", room {c.PreviousRoom ?? "main"} → {c.Room ?? "main"}" : "")}</li>"),
            AgendaChangeKind.Retitled => H($"<li><strong>Retitled</strong> “{c.PreviousTitle ?? "Details to come"}” → “{what}”</li>"),
            _ => H($"<li><strong>Cancelled</strong> {what} ({When(c.StartLocal)})</li>"),
        };
    }
}
