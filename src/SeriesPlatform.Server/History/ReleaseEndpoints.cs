using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Domain.Exports;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>
/// Agenda releases: PublishAgenda through the command workflow, the list with changelogs, and
/// each release's agenda and exports. A release is the edition folded up to its AgendaPublished
/// event, so it reads the same forever; its ETag never changes.
/// </summary>
public static class ReleaseEndpoints
{
    public sealed record PublishBody(string? Note);
    private sealed record Release(long StreamVersion, AgendaPublished Event, string? Actor);

    public static void MapReleases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}/releases").WithTags("Releases");

        group.MapPost("/", (Guid id, PublishBody? body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new PublishAgenda(body?.Note), body, ct, 201,
                respond: s => new { version = s.ReleaseCount }, location: s => $"/api/editions/{id}/releases/{s.ReleaseCount}"))
            .RequireAuthorization(Policies.Admin).Creates();

        group.MapGet("/", async (Guid id, PostgresEventStore store, CancellationToken ct) =>
        {
            if (await store.GetStreamVersionAsync(Aggregates.EditionStream(id), ct) is null) throw new NotFound($"Edition {id} does not exist.");
            var releases = await ReleasesAsync(store, id, null, ct);
            return Results.Ok(releases.Select(r => new
            {
                version = r.Event.Version, note = r.Event.Note, publishedAt = r.Event.At, publishedBy = r.Actor, streamVersion = r.StreamVersion,
                changes = r.Event.Changes,
            }));
        });

        group.MapGet("/{n:int}/agenda", async (Guid id, int n, HttpContext http, PostgresEventStore store, CancellationToken ct) =>
        {
            var (release, edition) = await LoadAsync(store, id, n, ct);
            if (Http.NotModified(http, $"\"release-{n}\"")) return Results.StatusCode(304);
            return Results.Ok(new { version = n, note = release.Event.Note, publishedAt = release.Event.At, agenda = AgendaView.Build(edition) });
        });

        group.MapGet("/{n:int}/schedule.xml", (Guid id, int n, HttpContext http, PostgresEventStore store, CommandHandler handler, CancellationToken ct) =>
            Export(http, store, handler, id, n, "xml", "application/xml; charset=utf-8", (e, c) => ScheduleXmlExport.Render(e, c), ct));
        group.MapGet("/{n:int}/schedule.json", (Guid id, int n, HttpContext http, PostgresEventStore store, CommandHandler handler, CancellationToken ct) =>
            Export(http, store, handler, id, n, "json", "application/json; charset=utf-8", (e, c) => ScheduleJsonExport.Render(e, c), ct));
        group.MapGet("/{n:int}/calendar.ics", (Guid id, int n, HttpContext http, PostgresEventStore store, CommandHandler handler, CancellationToken ct) =>
            Export(http, store, handler, id, n, "ics", "text/calendar; charset=utf-8", (e, c) => ICalendarExport.Render([(e, c)]), ct));
    }

    private static async Task<IResult> Export(HttpContext http, PostgresEventStore store, CommandHandler handler, Guid id, int n, string format,
        string contentType, Func<EditionState, ExportContext, string> render, CancellationToken ct)
    {
        var (release, edition) = await LoadAsync(store, id, n, ct);
        if (Http.NotModified(http, $"\"release-{n}-{format}\"")) return Results.StatusCode(304);
        var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(edition.SeriesSlug), ct);
        // Generated "at" the release instant: the same release always renders the same bytes.
        var context = new ExportContext(series.Slug, series.Name, new Uri($"{http.Request.Scheme}://{http.Request.Host}/"), n.ToString(), release.Event.At);
        return Results.Text(render(edition, context), contentType);
    }

    /// <summary>Release n and the edition as it stood when it was published.</summary>
    private static async Task<(Release, EditionState)> LoadAsync(PostgresEventStore store, Guid id, int n, CancellationToken ct)
    {
        var release = (await ReleasesAsync(store, id, n, ct)).FirstOrDefault()
            ?? throw new NotFound($"Edition {id} has no release {n}.");
        var edition = new EditionState();
        await foreach (var e in store.ReadStreamAsync(Aggregates.EditionStream(id), toVersion: release.StreamVersion, ct: ct))
        {
            edition.Evolve(e.Data);
            edition.Version = e.StreamVersion;
        }
        return (release, edition);
    }

    private static async Task<List<Release>> ReleasesAsync(PostgresEventStore store, Guid id, int? only, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand("""
            select stream_version, schema_version, data::text, metadata->>'actor' from events
            where stream_id = $1 and type = 'agenda.published' and ($2::int is null or (data->>'version')::int = $2)
            order by stream_version
            """);
        cmd.Parameters.AddWithValue(Aggregates.EditionStream(id));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)only ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        var list = new List<Release>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new Release(reader.GetInt64(0), (AgendaPublished)store.Types.Deserialize("agenda.published", reader.GetInt32(1), reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        return list;
    }
}
