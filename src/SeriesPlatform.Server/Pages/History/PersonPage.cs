using Npgsql;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// <c>/people/{id}</c>: one person across editions, from the historian people model (merged
/// identities count as one), each appearance with the affiliation stated at the time.
/// </summary>
public static class PersonPage
{
    public static void MapPersonPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/people/{id:guid}", async (Guid id, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var person = await Rows.QueryAsync(db, """
                select c.id, c.name, c.orcid from hist_people p join hist_people c on c.id = coalesce(p.merged_into, p.id) where p.id = $1
                """, ct, id);
            if (person.Count == 0) throw new NotFound($"There is no person {id}.");
            var canonical = (Guid)person[0]["id"]!;
            var appearances = await Rows.QueryAsync(db, """
                select a.role, a.affiliation, a.item_id, i.title, i.day, coalesce(i.cancelled, false) as cancelled,
                       a.edition_id, e.title as edition_title, e.start_date, e.year
                from hist_appearances a
                join hist_people m on m.id = a.person_id and (m.id = $1 or m.merged_into = $1)
                left join hist_people_items i on i.id = a.item_id
                left join hist_people_editions e on e.id = a.edition_id
                order by coalesce(e.start_date, make_date(e.year, 1, 1)) nulls first, i.start_utc nulls last, a.id
                """, ct, canonical);
            var rows = appearances.Select(a => H($"""
                <tr><td>{(a["startDate"] is DateOnly d ? Format.Date(d) : Text(a["year"]?.ToString() ?? ""))}</td>
                <td><a href="/editions/{a["editionId"]}">{a["editionTitle"]}</a></td>
                <td>{(a["itemId"] is Guid item ? H($"""<a href="/editions/{a["editionId"]}#item-{item}">{(string?)a["title"] ?? "Details to come"}</a>""") : Empty)}{((bool)a["cancelled"]! ? " (cancelled)" : "")}</td>
                <td>{a["role"]}</td><td>{a["affiliation"]}</td></tr>
                """)).ToList();
            var orcid = person[0]["orcid"] as string;
            return new Page((string)person[0]["name"]!, H($"""
                <h1>{person[0]["name"]}</h1>
                {(orcid is null ? Empty : H($"""<p>ORCID <a href="https://orcid.org/{orcid}" rel="noopener">{orcid}</a></p>"""))}
                <h2>{Format.Count(rows.Count, "appearance", "appearances")}</h2>
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Date</th><th scope="col">Edition</th><th scope="col">Item</th><th scope="col">Role</th><th scope="col">Affiliation then</th></tr></thead>
                <tbody>{rows}</tbody>
                </table></div>
                """));
        });
}
