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
            var person = await HistoryQueries.PersonAsync(db, id, ct) ?? throw new NotFound($"There is no person {id}.");
            var canonical = (Guid)person["id"]!;
            var appearances = await HistoryQueries.AppearancesAsync(db, canonical, ct);
            var rows = appearances.Select(a => H($"""
                <tr><td>{(a["editionStart"] is DateOnly d ? Format.Date(d) : Text(a["editionYear"]?.ToString() ?? ""))}</td>
                <td><a href="/editions/{a["editionId"]}">{a["editionTitle"]}</a></td>
                <td>{(a["itemId"] is Guid item ? H($"""<a href="/editions/{a["editionId"]}#item-{item}">{(string?)a["title"] ?? "Details to come"}</a>""") : Empty)}{((bool)a["cancelled"]! ? " (cancelled)" : "")}</td>
                <td>{a["role"]}</td><td>{a["affiliation"]}</td></tr>
                """)).ToList();
            var orcid = person["orcid"] as string;
            return new Page((string)person["name"]!, H($"""
                <h1>{person["name"]}</h1>
                {(orcid is null ? Empty : H($"""<p>ORCID <a href="https://orcid.org/{orcid}" rel="noopener">{orcid}</a></p>"""))}
                <h2>{Format.Count(rows.Count, "appearance", "appearances")}</h2>
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Date</th><th scope="col">Edition</th><th scope="col">Item</th><th scope="col">Role</th><th scope="col">Affiliation then</th></tr></thead>
                <tbody>{rows}</tbody>
                </table></div>
                """));
        });
}
