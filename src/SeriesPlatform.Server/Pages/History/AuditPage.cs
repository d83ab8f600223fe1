using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Pages.Admin;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.History;

/// <summary>
/// <c>/admin/editions/{id}/history</c>: every change to the edition, newest first — event, when,
/// who, which command, from where — read from the stream itself (the log is the audit trail).
/// Only the envelope is shown, never the bodies, so attendees' personal data cannot appear.
/// </summary>
public static class AuditPage
{
    public static void MapAuditPage(this IEndpointRouteBuilder admin) =>
        admin.MapGet("/editions/{id:guid}/history", async (Guid id, HttpContext http, CommandHandler handler, PostgresEventStore store) =>
        {
            var e = await AdminEditionPage.Load(handler, id, http);
            var rows = new List<Html>();
            await foreach (var r in store.ReadStreamAsync(Aggregates.EditionStream(id), ct: http.RequestAborted))
                rows.Add(H($"""
                    <tr><td>{r.StreamVersion}</td><td><time datetime="{r.RecordedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}">{r.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</time> UTC</td>
                    <td>{r.Type}</td><td>{r.Metadata.Command}</td><td>{r.Metadata.Actor}</td><td>{r.Metadata.Source}</td></tr>
                    """));
            rows.Reverse();
            return new Page($"History · {e.Title}", H($"""
                {AdminEditionPage.Breadcrumb(e)}
                <h1>History of {e.Title}</h1>
                <p>{Format.Count(rows.Count, "change", "changes")}, newest first. Pick a moment on the <a href="/editions/{id}">public page</a> to see the agenda as it stood then.</p>
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Version</th><th scope="col">Recorded</th><th scope="col">Event</th><th scope="col">Command</th><th scope="col">Actor</th><th scope="col">Source</th></tr></thead>
                <tbody>{rows}</tbody>
                </table></div>
                """));
        });
}
