using Npgsql;
using SeriesPlatform.Server.Auth;

namespace SeriesPlatform.Server.History;

/// <summary>What a historian counts: talks per kind, speakers per affiliation, recurring speakers, topics per year.</summary>
public static class StatsEndpoints
{
    public static void MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", (string? series, NpgsqlDataSource db, CancellationToken ct) => Stats(db, series, ct))
            .WithTags("History").RequireAuthorization(Policies.Historian);
        app.MapGet("/api/series/{slug}/stats", (string slug, NpgsqlDataSource db, CancellationToken ct) => Stats(db, slug, ct))
            .WithTags("History").RequireAuthorization(Policies.Historian);
    }

    private static async Task<IResult> Stats(NpgsqlDataSource db, string? series, CancellationToken ct)
    {
        var talksPerKind = await Rows.QueryAsync(db, """
            select coalesce(d.talk_kind, 'other') as kind, count(*)::int as talks
            from hist_search_docs d join hist_search_editions e on e.id = d.edition_id
            where d.kind = 'talk' and not d.cancelled and ($1::text is null or e.series_slug = $1)
            group by 1 order by 2 desc, 1
            """, ct, series);
        // People are counted once per affiliation they stated, merged identities as one person.
        var speakersPerAffiliation = await Rows.QueryAsync(db, """
            select coalesce(nullif(trim(a.affiliation), ''), '(not stated)') as affiliation,
                   count(distinct coalesce(p.merged_into, p.id))::int as speakers, count(*)::int as talks
            from hist_appearances a join hist_people p on p.id = a.person_id
            join hist_people_items i on i.id = a.item_id and not i.cancelled
            join hist_people_editions e on e.id = a.edition_id
            where a.role = 'speaker' and ($1::text is null or e.series_slug = $1)
            group by 1 order by 2 desc, 1 limit 100
            """, ct, series);
        var recurringSpeakers = await Rows.QueryAsync(db, """
            select c.id, c.name, count(distinct a.edition_id)::int as editions, count(*)::int as talks,
                   array_agg(distinct coalesce(e.year, extract(year from e.start_date)::int)) as years
            from hist_appearances a join hist_people p on p.id = a.person_id join hist_people c on c.id = coalesce(p.merged_into, p.id)
            join hist_people_items i on i.id = a.item_id and not i.cancelled
            join hist_people_editions e on e.id = a.edition_id
            where a.role = 'speaker' and ($1::text is null or e.series_slug = $1)
            group by c.id, c.name having count(distinct a.edition_id) > 1
            order by 3 desc, 2 limit 100
            """, ct, series);
        // Words of talk titles and breakout topics, stop words removed (an English stop word has an empty tsvector).
        var topicsPerYear = await Rows.QueryAsync(db, """
            with words as (
                select coalesce(e.year, extract(year from e.start_date)::int) as year, w.word
                from hist_search_docs d join hist_search_editions e on e.id = d.edition_id,
                     regexp_split_to_table(lower(coalesce(d.title, '') || ' ' || coalesce(d.topics, '')), '[^[:alnum:]]+') as w(word)
                where d.kind in ('talk', 'breakout') and not d.cancelled and length(w.word) > 2
                  and to_tsvector('english', w.word) <> ''::tsvector and ($1::text is null or e.series_slug = $1)
            ), counted as (
                select year, word, count(*)::int as mentions, row_number() over (partition by year order by count(*) desc, word) as n
                from words where year is not null group by year, word
            )
            select year, json_agg(json_build_object('topic', word, 'mentions', mentions) order by n)::text as topics
            from counted where n <= 10 group by year order by year
            """, ct, series);
        return Results.Ok(new
        {
            series,
            talksPerKind,
            speakersPerAffiliation,
            recurringSpeakers,
            topicsPerYear = topicsPerYear.Select(r => new { year = r["year"], topics = System.Text.Json.JsonDocument.Parse((string)r["topics"]!).RootElement }),
        });
    }
}
