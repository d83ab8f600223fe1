using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Series;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin/series/{slug}</c>: the editions of a series; plan a new one, or the next one from a previous one.</summary>
public static class AdminSeriesPage
{
    private static readonly (string, string)[] Formats = [("inPerson", "In person"), ("virtual", "Virtual"), ("hybrid", "Hybrid")];

    public static void MapAdminSeries(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/series/{slug}", async (string slug, string? done, HttpContext http, CommandHandler handler, NpgsqlDataSource db) =>
            Render(http, await Load(handler, slug, http), await SeriesEndpoints.EditionsOf(db, slug, http.RequestAborted),
                Form.Empty("plan", new Dictionary<string, string> { ["format"] = "inPerson" }), Form.Empty("next"), done));

        admin.MapPost("/series/{slug}/editions", async (string slug, HttpContext http, CommandHandler handler, NpgsqlDataSource db) =>
        {
            var series = await Load(handler, slug, http);
            var form = await Form.ReadAsync(http, "plan");
            var start = AdminCommands.Date(form, "startDate");
            var end = AdminCommands.Date(form, "endDate");
            var capacity = form.Int("capacity");
            var format = AdminCommands.Choice(form, "format", EditionFormat.InPerson);
            var venue = form.Optional("venue.name") is null && form.Optional("venue.city") is null && form.Optional("venue.country") is null
                ? null : new Venue(form["venue.name"].Trim(), form.Optional("venue.city"), form.Optional("venue.country"));
            var id = Guid.CreateVersion7();
            var command = new PlanEdition(id, slug, form["title"], start, end, null, null, null, form["timeZone"].Trim(), venue, format, capacity);
            // The fingerprint leaves out the fresh id, and the redirect follows the stored Location: a form
            // sent twice replays the first answer, which names the edition that was really planned.
            CommandResponse? response = null;
            var ok = await AdminCommands.TryAsync(form, async () => response = await handler.HandleAsync(Aggregates.EditionStream(id), command,
                AdminCommands.Request(http, form, command with { EditionId = Guid.Empty }), _ => null, creates: true, successStatus: 201,
                location: s => $"/admin/editions/{s.Id}", ct: http.RequestAborted));
            return ok ? AdminCommands.SeeOther($"{response!.Location}?done=planned")
                : Render(http, series, await SeriesEndpoints.EditionsOf(db, slug, http.RequestAborted), form, Form.Empty("next"), null, 422);
        });

        // Plan the next edition from a previous one: the same decision the API's POST /api/editions/{id}/next makes.
        admin.MapPost("/series/{slug}/next", async (string slug, HttpContext http, CommandHandler handler, NpgsqlDataSource db) =>
        {
            var series = await Load(handler, slug, http);
            var form = await Form.ReadAsync(http, "next");
            var start = AdminCommands.Date(form, "startDate");
            if (start is null && !form.Errors.ContainsKey("startDate")) form.Errors["startDate"] = "is required";
            Guid.TryParse(form["from"], out var fromId);
            var newId = Guid.CreateVersion7();
            CommandResponse? response = null;
            var ok = await AdminCommands.TryAsync(form, async () =>
            {
                var previous = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(fromId), http.RequestAborted);
                if (!previous.Exists || previous.SeriesSlug != slug) throw new RuleViolation("unknown-edition", "Choose an edition of this series.", "from");
                var command = new PlanNextEdition(newId, start!.Value, form.Optional("title"));
                if (command.Validate() is { Count: > 0 } invalid) throw new ValidationFailed(invalid);
                response = await handler.HandleAsync<EditionState>(Aggregates.EditionStream(newId), nameof(PlanNextEdition),
                    (fresh, now) => fresh.Exists ? throw new RuleViolation("already-exists", "The edition exists.") : command.Decide(previous, now),
                    AdminCommands.Request(http, form, new { from = fromId, start, title = command.Title }), _ => null, creates: true, successStatus: 201,
                    location: s => $"/admin/editions/{s.Id}", ct: http.RequestAborted);
            });
            return ok ? AdminCommands.SeeOther($"{response!.Location}?done=planned")
                : Render(http, series, await SeriesEndpoints.EditionsOf(db, slug, http.RequestAborted),
                    Form.Empty("plan", new Dictionary<string, string> { ["format"] = "inPerson" }), form, null, 422);
        });
    }

    private static async Task<SeriesState> Load(CommandHandler handler, string slug, HttpContext http)
    {
        var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(slug), http.RequestAborted);
        return series.Exists ? series : throw new NotFound($"There is no series '{slug}'.");
    }

    private static Page Render(HttpContext http, SeriesState series, List<SeriesEndpoints.EditionSummary> editions, Form plan, Form next, string? done,
        int status = 200)
    {
        var rows = editions.Select(e => H($"""
            <tr><td><a href="/admin/editions/{e.Id}">{e.Title}</a></td><td>{Format.Dates(e.StartDate, e.EndDate, e.Year, e.DatesAsStated)}</td>
            <td>{e.Status}</td><td>{e.Talks}</td><td>{e.Attendees}</td></tr>
            """));
        var withDates = editions.Where(e => e.StartDate is not null).Select(e => ($"{e.Id}", e.Title)).Reverse().ToList();
        return new Page($"Admin · {series.Name}", H($"""
            <p class="meta"><a href="/admin">Admin</a> · <a href="/series/{series.Slug}">public page</a></p>
            <h1>{series.Name}</h1>
            {(done == "created" ? H($"""<p class="flash" role="status">Series created.</p>""") : Empty)}
            <h2>Editions</h2>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Edition</th><th scope="col">Dates</th><th scope="col">Status</th><th scope="col">Talks</th><th scope="col">Attendees</th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <form method="post" action="/admin/series/{series.Slug}/editions" class="stacked" aria-labelledby="plan-heading">
            <h2 id="plan-heading">Plan an edition</h2>
            {Forms.Csrf(http)}{Forms.OnceKey()}
            {Forms.Errors(plan)}
            {Forms.Input(plan, "title", "Title", required: true)}
            <div class="row">
            {Forms.Input(plan, "startDate", "First day", type: "date")}
            {Forms.Input(plan, "endDate", "Last day", type: "date")}
            </div>
            <div class="row">
            {Forms.Input(plan, "timeZone", "Time zone", required: true, hint: "IANA name, e.g. America/New_York, Europe/Rome, Asia/Tokyo.")}
            {Forms.Select(plan, "format", "Format", Formats)}
            {Forms.Input(plan, "capacity", "Capacity", type: "number", extra: "min=\"0\"")}
            </div>
            <div class="row">
            {Forms.Input(plan, "venue.name", "Venue")}
            {Forms.Input(plan, "venue.city", "City")}
            {Forms.Input(plan, "venue.country", "Country")}
            </div>
            <button type="submit">Plan edition</button>
            </form>
            {(withDates.Count == 0 ? Empty : H($"""
            <form method="post" action="/admin/series/{series.Slug}/next" class="stacked" aria-labelledby="next-heading">
            <h2 id="next-heading">Plan the next edition from a previous one</h2>
            <p class="hint">Same zone, venue, format and capacity; agenda slots copied at the same local times, talks as open slots.</p>
            {Forms.Csrf(http)}{Forms.OnceKey()}
            {Forms.Errors(next)}
            {Forms.Select(next, "from", "From edition", withDates)}
            <div class="row">
            {Forms.Input(next, "startDate", "First day of the new edition", type: "date", required: true)}
            {Forms.Input(next, "title", "Title", hint: "Leave empty to take the previous title with the new year.")}
            </div>
            <button type="submit">Plan next edition</button>
            </form>
            """))}
            """), status);
    }
}
