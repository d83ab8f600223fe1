using Npgsql;
using SeriesPlatform.Server.Series;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Public;

/// <summary><c>/</c>: every series, with how many editions it has and when the latest one was.</summary>
public static class CatalogPage
{
    public static void MapCatalog(this IEndpointRouteBuilder app) => app.MapGet("/", async (NpgsqlDataSource db, CancellationToken ct) =>
    {
        var items = new List<Html>();
        foreach (var s in await ListAsync(db, ct))
        {
            var editions = await SeriesEndpoints.EditionsOf(db, s.Slug, ct);
            var latest = editions.LastOrDefault(e => e.StartDate is not null || e.Year is not null);
            items.Add(H($"""
                <li>
                <h2><a href="/series/{s.Slug}">{s.Name}</a></h2>
                {(s.Description is null ? Empty : H($"<p>{s.Description}</p>"))}
                <p class="meta">{Format.Count(editions.Count, "edition", "editions")}{(latest is null ? Empty : H($" · latest: {Format.Dates(latest.StartDate, latest.EndDate, latest.Year, latest.DatesAsStated)}"))}</p>
                </li>
                """));
        }
        return new Page("Workshop series", H($"""
            <h1>Workshop series</h1>
            <p class="lead">Recurring scientific workshops: every edition, its agenda, its speakers.</p>
            {(items.Count == 0 ? H($"<p>No series yet.</p>") : H($"""<ul class="cards">{items}</ul>"""))}
            """));
    });

    private static async Task<List<SeriesEndpoints.SeriesSummary>> ListAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select slug, name, description from series_catalog order by name");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<SeriesEndpoints.SeriesSummary>();
        while (await reader.ReadAsync(ct))
            list.Add(new(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), 0));
        return list;
    }
}
