using Npgsql;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>Ranked full-text search across all editions (public: it covers what published agendas show).</summary>
public static class SearchEndpoints
{
    public static void MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", async (string? q, string? series, int? limit, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q) || q.Length > 200)
                throw ValidationFailed.One("q", "q is required: up to 200 characters of search words (\"quoted phrases\", -excluded, or).");
            var take = limit ?? 20;
            if (take is < 1 or > 100) throw ValidationFailed.One("limit", "limit is between 1 and 100.");
            var hits = await HistoryQueries.SearchAsync(db, q, series, take, ct);
            return Results.Ok(new { query = q, hits = hits.Select(Shape) });
        }).WithTags("History");
    }

    // Each hit names its edition as a nested object, as a client shows it.
    private static object Shape(Dictionary<string, object?> row) => new
    {
        id = row["id"], kind = row["kind"], talkKind = row["talkKind"], title = row["title"], speakers = row["speakers"], topics = row["topics"],
        day = row["day"], rank = row["rank"], snippet = row["snippet"] is string { Length: > 0 } s ? s : null,
        edition = new { id = row["editionId"], title = row["editionTitle"], seriesSlug = row["seriesSlug"], startDate = row["editionStart"], year = row["editionYear"] },
    };
}
