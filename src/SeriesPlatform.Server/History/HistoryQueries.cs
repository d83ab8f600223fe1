using Npgsql;

namespace SeriesPlatform.Server.History;

/// <summary>
/// The historian read models' queries, shared by the API and the web pages so that both rank,
/// merge and order the same way.
/// </summary>
public static class HistoryQueries
{
    /// <summary>Ranked full-text hits across all editions (optionally one series), each with its edition.</summary>
    public static Task<List<Dictionary<string, object?>>> SearchAsync(NpgsqlDataSource db, string q, string? series, int take, CancellationToken ct) =>
        Rows.QueryAsync(db, """
            select d.id, d.kind, d.talk_kind, d.title, d.speakers, d.topics, d.day,
                   ts_rank_cd(d.tsv, query) as rank,
                   ts_headline('english', coalesce(d.abstract, ''), query, 'MaxFragments=1, MaxWords=30, MinWords=10') as snippet,
                   e.id as edition_id, e.title as edition_title, e.series_slug, e.start_date as edition_start, e.year as edition_year
            from hist_search_docs d join hist_search_editions e on e.id = d.edition_id,
                 websearch_to_tsquery('english', $1) as query
            where d.tsv @@ query and not d.cancelled and ($2::text is null or e.series_slug = $2)
            order by rank desc, e.start_date desc nulls last, d.title
            limit $3
            """, ct, q, series, take);

    /// <summary>The person an id names, following a curator's merge to the surviving identity; null when unknown.</summary>
    public static async Task<Dictionary<string, object?>?> PersonAsync(NpgsqlDataSource db, Guid id, CancellationToken ct) =>
        (await Rows.QueryAsync(db, """
            select c.id, c.name, c.orcid from hist_people p join hist_people c on c.id = coalesce(p.merged_into, p.id) where p.id = $1
            """, ct, id)).FirstOrDefault();

    /// <summary>Every appearance of a person and the identities merged into them, in time order.</summary>
    public static Task<List<Dictionary<string, object?>>> AppearancesAsync(NpgsqlDataSource db, Guid canonical, CancellationToken ct) =>
        Rows.QueryAsync(db, """
            select a.role, a.affiliation, a.person_id as identity, a.item_id, i.kind as item_kind, i.title, i.day, i.start_utc,
                   coalesce(i.cancelled, false) as cancelled, coalesce(e.series_slug, a.series_slug) as series_slug,
                   a.edition_id, e.title as edition_title, e.start_date as edition_start, e.year as edition_year
            from hist_appearances a
            join hist_people m on m.id = a.person_id and (m.id = $1 or m.merged_into = $1)
            left join hist_people_items i on i.id = a.item_id
            left join hist_people_editions e on e.id = a.edition_id
            order by coalesce(e.start_date, make_date(e.year, 1, 1)) nulls first, i.start_utc nulls last, a.id
            """, ct, canonical);
}
