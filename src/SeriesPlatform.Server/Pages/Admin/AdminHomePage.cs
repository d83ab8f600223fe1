using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin</c>: the series an admin runs, and creating a new one.</summary>
public static class AdminHomePage
{
    public static void MapAdminHome(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/", async (string? rebuilding, HttpContext http, NpgsqlDataSource db) =>
            Render(http, await SeriesAsync(db, http.RequestAborted), Form.Empty("series"), await ProjectionStatus.SectionAsync(http, rebuilding)));

        admin.MapPost("/series", async (HttpContext http, CommandHandler handler, NpgsqlDataSource db) =>
        {
            var form = await Form.ReadAsync(http, "series");
            var slug = form["slug"].Trim();
            var command = new CreateSeries(slug, form["name"], form.Optional("description"));
            var ok = await AdminCommands.TryAsync(form, () => handler.HandleAsync(Aggregates.SeriesStream(slug), command,
                AdminCommands.Request(http, form, command), _ => null, creates: true, successStatus: 201, ct: http.RequestAborted));
            return ok ? AdminCommands.SeeOther($"/admin/series/{slug}?done=created")
                : Render(http, await SeriesAsync(db, http.RequestAborted), form, await ProjectionStatus.SectionAsync(http), 422);
        });
    }

    private static Page Render(HttpContext http, IReadOnlyList<(string Slug, string Name, int Editions)> series, Form form, Html projections, int status = 200)
    {
        var rows = series.Select(s => H($"""<li><a href="/admin/series/{s.Slug}">{s.Name}</a> <span class="meta">({Format.Count(s.Editions, "edition", "editions")})</span></li>"""));
        return new Page("Admin", H($"""
            <h1>Admin</h1>
            {(PlatformAdminPages.IsPlatformAdmin(http.User) ? H($"""<ul class="exports"><li><a href="/admin/webhooks">Webhooks</a></li><li><a href="/admin/projections">Projections</a></li></ul>""") : Empty)}
            <h2>Series</h2>
            <ul>{rows}</ul>
            <form method="post" action="/admin/series" class="stacked" aria-labelledby="new-series">
            <h2 id="new-series">Create a series</h2>
            {Forms.Csrf(http)}{Forms.OnceKey()}
            {Forms.Errors(form)}
            <div class="row">
            {Forms.Input(form, "slug", "Slug", required: true, hint: "Permanent id in addresses: lowercase letters, digits, dashes.")}
            {Forms.Input(form, "name", "Name", required: true)}
            </div>
            {Forms.Input(form, "description", "Description", type: "textarea")}
            <button type="submit">Create series</button>
            </form>
            {projections}
            """), status);
    }

    private static async Task<List<(string, string, int)>> SeriesAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select s.slug, s.name, (select count(*) from edition_catalog e where e.series_slug = s.slug)::int from series_catalog s order by s.name
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, string, int)>();
        while (await reader.ReadAsync(ct)) list.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        return list;
    }
}
