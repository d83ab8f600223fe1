using Npgsql;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>The series catalog and each series' timeline of editions (public: it is what the catalog shows).</summary>
public static class CatalogEndpoints
{
    private const string EditionColumns = """
        e.id, e.title, e.start_date, e.end_date, e.year, e.dates_as_stated, e.time_zone, e.venue, e.city, e.country, e.format, e.status,
        e.planned_from, e.talks, e.posters, e.breakouts, e.attendees
        """;

    public static void MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalog", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            var series = await Rows.QueryAsync(db, """
                select s.slug, s.name, s.description, count(e.id)::int as editions, min(coalesce(e.year, extract(year from e.start_date)::int)) as first_year,
                       max(coalesce(e.year, extract(year from e.start_date)::int)) as last_year, coalesce(sum(e.talks), 0)::int as talks
                from hist_series s left join hist_editions e on e.series_slug = s.slug
                group by s.slug, s.name, s.description order by s.name
                """, ct);
            return Results.Ok(series);
        }).WithTags("History");

        app.MapGet("/api/series/{slug}/timeline", async (string slug, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var series = await Rows.QueryAsync(db, "select slug, name, description from hist_series where slug = $1", ct, slug);
            if (series.Count == 0) throw new NotFound($"Series '{slug}' is not in the historian catalog.");
            var editions = await Rows.QueryAsync(db, $"""
                select {EditionColumns} from hist_editions e where e.series_slug = $1
                order by coalesce(e.start_date, make_date(e.year, 1, 1)) nulls last, e.title
                """, ct, slug);
            return Results.Ok(new { series = series[0], editions });
        }).WithTags("History");
    }
}
