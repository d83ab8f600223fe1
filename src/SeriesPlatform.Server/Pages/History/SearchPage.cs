using Npgsql;
using SeriesPlatform.Server.History;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// <c>/search?q=</c>: the historian read models' full-text index (talks, posters, breakouts of every
/// edition) and the people index, ranked as the search API ranks them.
/// </summary>
public static class SearchPage
{
    public static void MapSearchPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/search", async (string? q, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var query = q?.Trim() ?? "";
            var form = H($"""
                <form method="get" action="/search" role="search" class="stacked no-print">
                <div class="field"><label for="q">Search talks, topics and people across every edition</label>
                <input id="q" name="q" type="search" value="{query}" maxlength="200"></div>
                <button type="submit">Search</button>
                </form>
                """);
            if (query.Length == 0) return new Page("Search", H($"<h1>Search</h1>{form}"));
            if (query.Length > 200) return new Page("Search", H($"""<h1>Search</h1>{form}<p class="error">Use at most 200 characters.</p>"""), 400);
            var people = await Rows.QueryAsync(db, """
                select id, name from hist_people where merged_into is null and lower(name) like '%' || lower($1) || '%' order by name limit 20
                """, ct, query.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_"));
            var hits = await HistoryQueries.SearchAsync(db, query, null, 50, ct);
            var hitList = hits.Select(h => H($"""
                <li><h3><a href="/editions/{h["editionId"]}#{((string?)h["kind"] == "breakout" ? "breakout" : "item")}-{h["id"]}">{(string?)h["title"] ?? "Details to come"}</a></h3>
                <p class="meta">{h["speakers"]} · {h["editionTitle"]}{(h["editionYear"] is { } y ? $" ({y})" : "")}</p></li>
                """)).ToList();
            var peopleList = people.Select(p => H($"""<li><a href="/people/{p["id"]}">{p["name"]}</a></li>""")).ToList();
            return new Page($"Search: {query}", H($"""
                <h1>Search</h1>
                {form}
                {(peopleList.Count == 0 ? Empty : H($"<h2>People</h2><ul>{peopleList}</ul>"))}
                <h2>{Format.Count(hitList.Count, "result", "results")} for “{query}”</h2>
                {(hitList.Count == 0 ? H($"<p>Nothing matched. The index follows the log within a moment of each change.</p>") : H($"""<ul class="cards">{hitList}</ul>"""))}
                """));
        });
}
