using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Pages.Public;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin/editions/{id}</c>: an edition's agenda with edit links, registration open/close, and the way to its other admin pages.</summary>
public static class AdminEditionPage
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["planned"] = "Edition planned.", ["scheduled"] = "Talk scheduled.", ["rescheduled"] = "Talk moved.", ["revised"] = "Talk details saved.",
        ["cancelled"] = "Item cancelled.", ["published"] = "Agenda release published.", ["opened"] = "Registration opened.", ["closed"] = "Registration closed.",
    };

    public static void MapAdminEdition(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/editions/{id:guid}", async (Guid id, string? done, HttpContext http, CommandHandler handler) =>
            Render(http, await Load(handler, id, http), done, null));

        admin.MapPost("/editions/{id:guid}/registration/{action:regex(^(open|close)$)}", async (Guid id, string action, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "registration");
            ICommand<EditionState> command = action == "open" ? new OpenRegistration() : new CloseRegistration();
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, null));
            return ok ? AdminCommands.SeeOther($"/admin/editions/{id}?done={(action == "open" ? "opened" : "closed")}")
                : Render(http, await Load(handler, id, http), null, form, 422);
        });
        MapPublish(admin);
    }

    private static void MapPublish(IEndpointRouteBuilder admin) =>
        admin.MapPost("/editions/{id:guid}/releases", async (Guid id, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "publish");
            var command = new PublishAgenda(form.Optional("note"));
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, command));
            return ok ? AdminCommands.SeeOther($"/admin/editions/{id}?done=published") : Render(http, await Load(handler, id, http), null, form, 422);
        });

    public static async Task<EditionState> Load(CommandHandler handler, Guid id, HttpContext http)
    {
        var e = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), http.RequestAborted);
        return e.Exists ? e : throw new NotFound($"There is no edition {id}.");
    }

    public static Html Breadcrumb(EditionState e) => H($"""
        <p class="meta"><a href="/admin">Admin</a> · <a href="/admin/series/{e.SeriesSlug}">series</a> · <a href="/admin/editions/{e.Id}">{e.Title}</a> · <a href="/editions/{e.Id}">public page</a></p>
        """);

    public static Html Flash(string? done, IReadOnlyDictionary<string, string>? messages = null) =>
        done is not null && (messages ?? Done).TryGetValue(done, out var text) ? H($"""<p class="flash" role="status">{text}</p>""") : Empty;

    private static Page Render(HttpContext http, EditionState e, string? done, Form? refused, int status = 200)
    {
        var agenda = AgendaView.Build(e);
        var rows = agenda.Days.SelectMany(d => d.Items).Concat(agenda.Unscheduled).Select(i => H($"""
            <tr id="item-{i.Id}">
            <td>{(i.StartLocal is { } s ? H($"{Format.DayShort(DateOnly.FromDateTime(s))} {AgendaMarkup.When(i, null)}") : Text("—"))}{(i.Room is null ? "" : $" · {i.Room}")}</td>
            <td>{(i.DetailsToCome ? H($"""<span class="tbc">Details to come</span>""") : Text(i.Title ?? i.Kind.ToString()))}</td>
            <td>{string.Join("; ", i.Speakers.Select(AgendaMarkup.SpeakerText))}</td>
            <td><a href="/admin/editions/{e.Id}/talks/{i.Id}">Edit<span class="sr-only"> {i.Title ?? "item"}</span></a></td>
            </tr>
            """));
        var registration = e.RegistrationOpen
            ? Forms.Button(http, $"/admin/editions/{e.Id}/registration/close", "Close registration", "secondary")
            : Forms.Button(http, $"/admin/editions/{e.Id}/registration/open", "Open registration", "secondary");
        return new Page($"Admin · {e.Title}", H($"""
            {Breadcrumb(e)}
            <h1>{e.Title}</h1>
            {Flash(done)}
            {(refused is null || refused.Prefix == "publish" ? Empty : Forms.Errors(refused))}
            <p class="lead">{Format.Dates(e.StartDate, e.EndDate, e.Year, e.DatesAsStated)} · {Format.Place(e.Venue, e.Format, e.FormatStated)} · {e.TimeZone} · <span class="badge">{e.Status}</span></p>
            <ul class="exports">
            <li><a href="/admin/editions/{e.Id}/talks/new">Schedule a talk</a></li>
            <li><a href="/admin/editions/{e.Id}/breakouts">Breakouts ({e.Breakouts.Count})</a></li>
            <li><a href="/admin/editions/{e.Id}/history">History (audit)</a></li>
            <li><a href="/editions/{e.Id}/releases">Releases ({e.ReleaseCount})</a></li>
            <li><a href="/admin/editions/{e.Id}/registrations">Registrations ({e.SeatsTaken} registered, {e.Registrations.Count(r => r.Status == RegistrationStatus.Waitlisted)} waitlisted)</a></li>
            </ul>
            <form method="post" action="/admin/editions/{e.Id}/releases" class="stacked" aria-labelledby="publish-heading">
            <h2 id="publish-heading">Publish an agenda release</h2>
            {Forms.Csrf(http)}{Forms.OnceKey()}
            {(refused?.Prefix == "publish" ? Forms.Errors(refused) : Empty)}
            {Forms.Input(refused?.Prefix == "publish" ? refused : Form.Empty("publish"), "note", "Note for subscribers (optional)")}
            <button type="submit">Publish release {e.ReleaseCount + 1}</button>
            </form>
            <p>Registration is <strong>{(e.RegistrationOpen ? "open" : "closed")}</strong>. {registration}</p>
            <h2>Agenda</h2>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">When ({e.TimeZone})</th><th scope="col">Title</th><th scope="col">Speakers</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            """), status);
    }
}
