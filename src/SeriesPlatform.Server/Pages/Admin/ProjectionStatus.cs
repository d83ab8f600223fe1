using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>
/// The async projections behind the historian pages: how far behind each is, rebuild progress, dead
/// letters; and (platform admins) a Rebuild button per projection, the same call as
/// <c>POST /api/admin/projections/NAME/rebuild</c>.
/// </summary>
public static class ProjectionStatus
{
    /// <summary>
    /// Seconds between reloads of the page while a generation is building, so its progress shows
    /// without script: a meta refresh (the layout has no slot in head for it; browsers act on it in
    /// body as well).
    /// </summary>
    public const int RefreshSeconds = 2;

    public static async Task<Html> SectionAsync(HttpContext http, string? rebuilding = null)
    {
        var daemon = http.RequestServices.GetService<ProjectionDaemon>();
        if (daemon is null) return Empty;
        var status = await daemon.StatusAsync(http.RequestAborted);
        var mayRebuild = PlatformAdminPages.IsPlatformAdmin(http.User);
        var building = status.Any(p => p.Status == "building");
        var rows = status.Select(p => H($"""
            <tr id="projection-{p.Projection}-{p.Generation}"><td>{p.Projection}</td><td>{p.Generation}</td>
            <td class="{(p.OpenDeadLetters > 0 ? "status-bad" : p.EventsBehind > 0 || p.Status == "building" ? "status-warn" : "status-ok")}">{p.Status}{(p.Progress is { } pr ? $" ({pr:P0})" : "")}
            {(p.Progress is { } bar ? H($"""<progress max="100" value="{Math.Round(bar * 100)}" aria-label="{p.Projection} generation {p.Generation} rebuild progress">{bar:P0}</progress>""") : Empty)}</td>
            <td>{p.EventsProcessed}</td><td>{p.EventsBehind} events, {p.SecondsBehind:0.#} s</td><td>{p.OpenDeadLetters}</td>
            <td>{(mayRebuild && p.Status == "live" && !status.Any(b => b.Projection == p.Projection && b.Status == "building")
                ? Forms.Button(http, $"/admin/projections/{p.Projection}/rebuild", $"Rebuild {p.Projection}", "secondary") : Empty)}</td></tr>
            """)).ToList();
        var flash = rebuilding is not null && status.FirstOrDefault(p => p.Projection == rebuilding && p.Status == "building") is { } b
            ? H($"""<p class="flash" role="status">Rebuilding {rebuilding} into generation {b.Generation}: this page reloads every {RefreshSeconds} s until it is live.</p>""")
            : rebuilding is not null ? H($"""<p class="flash" role="status">The rebuild of {rebuilding} is live.</p>""") : Empty;
        return H($"""
            <section aria-labelledby="projections"><h2 id="projections">Projections</h2>
            {(building ? H($"""<meta http-equiv="refresh" content="{RefreshSeconds}">""") : Empty)}
            {flash}
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Projection</th><th scope="col">Generation</th><th scope="col">Status</th><th scope="col">Processed</th><th scope="col">Behind</th><th scope="col">Dead letters</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <p class="hint">A rebuild fills new tables from the whole event log while the old ones keep serving, then swaps them in. Dead-letter retries: <code>POST /api/admin/projections/dead-letters/ID/retry</code>.</p>
            </section>
            """);
    }

    public static void MapProjectionRebuild(this IEndpointRouteBuilder admin)
    {
        // The status on a page of its own: the rebuild lands here (no #fragment, which would turn the refresh into a same-page jump).
        admin.MapGet("/projections", async (string? rebuilding, HttpContext http) =>
        {
            var section = await SectionAsync(http, rebuilding);
            return new Page("Projections", H($"""
                <p class="meta"><a href="/admin">Admin</a></p>
                <h1>Projection status</h1>
                {section}
                """));
        });
        admin.MapGroup("/projections").RequirePlatformAdmin().MapPost("/{name}/rebuild", async (string name, HttpContext http, ProjectionDaemon daemon) =>
        {
            if (daemon.Projections.All(p => p.Name != name))
                throw new NotFound($"There is no projection named '{name}'.");
            await daemon.RebuildAsync(name, http.RequestAborted);
            return AdminCommands.SeeOther($"/admin/projections?rebuilding={Uri.EscapeDataString(name)}");
        });
    }
}
