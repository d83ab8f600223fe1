using SeriesPlatform.EventStore.Projections;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>The async projections behind the historian pages: how far behind each is, rebuild progress, dead letters.</summary>
public static class ProjectionStatus
{
    public static async Task<Html> SectionAsync(HttpContext http)
    {
        var daemon = http.RequestServices.GetService<ProjectionDaemon>();
        if (daemon is null) return Empty;
        var rows = (await daemon.StatusAsync(http.RequestAborted)).Select(p => H($"""
            <tr><td>{p.Projection}</td><td>{p.Generation}</td>
            <td class="{(p.OpenDeadLetters > 0 ? "status-bad" : p.EventsBehind > 0 ? "status-warn" : "status-ok")}">{p.Status}{(p.Progress is { } pr ? $" ({pr:P0})" : "")}</td>
            <td>{p.EventsProcessed}</td><td>{p.EventsBehind} events, {p.SecondsBehind:0.#} s</td><td>{p.OpenDeadLetters}</td></tr>
            """)).ToList();
        return H($"""
            <section aria-labelledby="projections"><h2 id="projections">Projections</h2>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Projection</th><th scope="col">Generation</th><th scope="col">Status</th><th scope="col">Processed</th><th scope="col">Behind</th><th scope="col">Dead letters</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <p class="hint">Rebuilds and dead-letter retries: <code>POST /api/admin/projections/NAME/rebuild</code>.</p>
            </section>
            """);
    }
}
