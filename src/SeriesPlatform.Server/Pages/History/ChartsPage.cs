using Npgsql;
using SeriesPlatform.Server.History;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// <c>/stats</c>: where a picture beats a table — talks per year per series and recurring speakers —
/// drawn server-side as SVG from the historian read models, each chart with its data table.
/// </summary>
public static class ChartsPage
{
    public static void MapChartsPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            var perYear = await Rows.QueryAsync(db, """
                select e.series_slug, coalesce(e.year, extract(year from e.start_date)::int) as year, count(*)::int as talks
                from hist_search_docs d join hist_search_editions e on e.id = d.edition_id
                where d.kind = 'talk' and not d.cancelled and coalesce(e.year, extract(year from e.start_date)::int) is not null
                group by 1, 2 order by 2, 1
                """, ct);
            var recurring = await Rows.QueryAsync(db, """
                select c.id, c.name, count(distinct a.edition_id)::int as editions
                from hist_appearances a join hist_people p on p.id = a.person_id join hist_people c on c.id = coalesce(p.merged_into, p.id)
                where a.role = 'speaker'
                group by c.id, c.name having count(distinct a.edition_id) > 1
                order by 3 desc, 2 limit 15
                """, ct);
            var talks = perYear.Select(r => ((string)r["seriesSlug"]!, (int)r["year"]!, (int)r["talks"]!)).ToList();
            var speakers = recurring.Select(r => ((Guid)r["id"]!, (string)r["name"]!, (int)r["editions"]!)).ToList();
            return new Page("Statistics", H($"""
                <h1>Statistics</h1>
                <section aria-labelledby="per-year"><h2 id="per-year">Talks per year, by series</h2>
                {(talks.Count == 0 ? H($"<p>No dated talks yet.</p>") : Svg.StackedBars(talks, "per-year"))}
                </section>
                <section aria-labelledby="recurring"><h2 id="recurring">Recurring speakers</h2>
                {(speakers.Count == 0 ? H($"<p>Nobody has spoken at more than one edition yet.</p>") : Svg.HorizontalBars(speakers, "recurring"))}
                </section>
                """));
        });
}
