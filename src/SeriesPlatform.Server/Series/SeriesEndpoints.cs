using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Series;

public static class SeriesEndpoints
{
    public sealed record CreateSeriesBody(string? Slug, string? Name, string? Description);
    public sealed record ReviseSeriesBody(string? Name, string? Description, List<Link>? Links, string? CodeOfConduct);
    public sealed record OrganizerBody(string? Name, string? Affiliation, string? Orcid, string? Role);
    public sealed record SeriesSummary(string Slug, string Name, string? Description, int Editions);
    public sealed record EditionSummary(Guid Id, string Title, DateOnly? StartDate, DateOnly? EndDate, int? Year, string? DatesAsStated,
        string TimeZone, string Format, string Status, Venue? Venue, int Talks, int Posters, int Breakouts, int Attendees);
    public sealed record SeriesDetail(string Slug, string Name, string? Description, IReadOnlyList<Link> Links, string? CodeOfConduct,
        IReadOnlyList<Organizer> Organizers, IReadOnlyList<EditionSummary> Editions);

    public static void MapSeries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/series").WithTags("Series");

        group.MapPost("/", async (CreateSeriesBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var slug = body.Slug?.Trim() ?? "";
            var command = new CreateSeries(slug, body.Name ?? "", body.Description);
            var response = await handler.HandleAsync(Aggregates.SeriesStream(slug), command, Http.Command(http, body),
                s => new { slug = s.Slug, name = s.Name }, creates: true, successStatus: 201, location: s => $"/api/series/{s.Slug}", ct: ct);
            return Http.Result(http, response);
        }).RequireAuthorization(Policies.Admin).Creates();

        group.MapGet("/", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var cmd = db.CreateCommand("""
                select s.slug, s.name, s.description, (select count(*) from edition_catalog e where e.series_slug = s.slug)::int
                from series_catalog s order by s.name
                """);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var list = new List<SeriesSummary>();
            while (await reader.ReadAsync(ct))
                list.Add(new SeriesSummary(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
            return TypedResults.Ok(list);
        });

        group.MapGet("/{slug}", async (string slug, HttpContext http, CommandHandler handler, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(slug), ct);
            if (!series.Exists) throw new NotFound($"Series '{slug}' does not exist.");
            http.Response.Headers.ETag = Http.ETag(series.Version);
            return TypedResults.Ok(new SeriesDetail(series.Slug, series.Name, series.Description, series.Links, series.CodeOfConduct,
                series.Organizers, await EditionsOf(db, slug, ct)));
        });

        group.MapPatch("/{slug}", async (string slug, ReviseSeriesBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var command = new ReviseSeries(body.Name, body.Description, body.Links, body.CodeOfConduct);
            return Http.Result(http, await handler.HandleAsync(Aggregates.SeriesStream(slug), command, Http.Command(http, body), _ => null, ct: ct));
        }).RequireAuthorization(Policies.Admin);

        group.MapPost("/{slug}/organizers", async (string slug, OrganizerBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var command = new AddOrganizer(body.Name ?? "", body.Affiliation, body.Orcid, body.Role);
            return Http.Result(http, await handler.HandleAsync(Aggregates.SeriesStream(slug), command, Http.Command(http, body),
                s => new { organizers = s.Organizers }, successStatus: 201, ct: ct));
        }).RequireAuthorization(Policies.Admin).Creates();
    }

    public static async Task<List<EditionSummary>> EditionsOf(NpgsqlDataSource db, string slug, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select id, title, start_date, end_date, year, dates_as_stated, time_zone, format, status, venue::text, talks, posters, breakouts, attendees
            from edition_catalog where series_slug = $1
            order by coalesce(start_date, make_date(coalesce(year, 9999), 1, 1)), title
            """);
        cmd.Parameters.AddWithValue(slug);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<EditionSummary>();
        while (await reader.ReadAsync(ct))
            list.Add(new EditionSummary(reader.GetGuid(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : System.Text.Json.JsonSerializer.Deserialize<Venue>(reader.GetString(9), System.Text.Json.JsonSerializerOptions.Web),
                reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13)));
        return list;
    }
}
