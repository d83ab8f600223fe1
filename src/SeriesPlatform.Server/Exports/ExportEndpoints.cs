using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Domain.Exports;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Series;

namespace SeriesPlatform.Server.Exports;

/// <summary>
/// iCalendar and the frab/pretalx "voc schedule" (schedule.xml, schedule.json), per edition and
/// as of an instant; the series calendar holds every edition. ETags follow the stream version, so
/// a client polling with If-None-Match gets 304 until something changes.
/// </summary>
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}").WithTags("Exports");
        group.MapGet("/schedule.xml", (Guid id, string? asOf, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Export(http, handler, id, asOf, "xml", "application/xml; charset=utf-8", (e, c) => ScheduleXmlExport.Render(e, c), ct));
        group.MapGet("/schedule.json", (Guid id, string? asOf, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Export(http, handler, id, asOf, "json", "application/json; charset=utf-8", (e, c) => ScheduleJsonExport.Render(e, c), ct));
        group.MapGet("/calendar.ics", (Guid id, string? asOf, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Export(http, handler, id, asOf, "ics", "text/calendar; charset=utf-8", (e, c) => ICalendarExport.Render([(e, c)]), ct));

        app.MapGet("/api/series/{slug}/calendar.ics", async (string slug, HttpContext http, CommandHandler handler, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(slug), ct);
            if (!series.Exists) throw new NotFound($"Series '{slug}' does not exist.");
            var editions = new List<(EditionState, ExportContext)>();
            foreach (var summary in await SeriesEndpoints.EditionsOf(db, slug, ct))
                editions.Add((await handler.LoadAsync<EditionState>(Aggregates.EditionStream(summary.Id), ct), Context(http, series, null)));
            var etag = $"\"ics-{series.Version}-{string.Join('.', editions.Select(e => e.Item1.Version))}\"";
            if (Http.NotModified(http, etag)) return Results.StatusCode(304);
            return Results.Text(ICalendarExport.Render(editions), "text/calendar; charset=utf-8");
        }).WithTags("Exports");
    }

    private static async Task<IResult> Export(HttpContext http, CommandHandler handler, Guid id, string? asOf, string format, string contentType,
        Func<EditionState, ExportContext, string> render, CancellationToken ct)
    {
        var instant = LocalTimes.ParseInstant(asOf, "asOf");
        var edition = instant is { } at
            ? await handler.LoadAsOfAsync<EditionState>(Aggregates.EditionStream(id), at, ct)
            : await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
        if (!edition.Exists) throw new NotFound($"Edition {id} does not exist{(instant is null ? "" : $" at {instant:O}")}.");
        var etag = $"\"{format}-{edition.Version}\"";
        if (Http.NotModified(http, etag)) return Results.StatusCode(304);
        var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(edition.SeriesSlug), ct);
        return Results.Text(render(edition, Context(http, series, instant is null ? null : $"as of {instant:O}")), contentType);
    }

    private static ExportContext Context(HttpContext http, SeriesState series, string? version) =>
        new(series.Slug, series.Name, new Uri($"{http.Request.Scheme}://{http.Request.Host}/"), version, DateTimeOffset.UtcNow);
}
