using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin/editions/{id}/breakouts</c>: open breakouts and close them.</summary>
public static class BreakoutsPage
{
    private static readonly Dictionary<string, string> Done = new() { ["opened"] = "Breakout opened.", ["closed"] = "Breakout closed." };
    private static readonly IReadOnlyDictionary<string, string> FieldOf = new Dictionary<string, string>
    {
        ["facilitator.name"] = "facilitatorName", ["facilitator.affiliation"] = "facilitatorAffiliation",
    };

    public static void MapAdminBreakouts(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/editions/{id:guid}/breakouts", async (Guid id, string? done, HttpContext http, CommandHandler handler) =>
            Render(http, await AdminEditionPage.Load(handler, id, http), Form.Empty("breakout"), done));

        admin.MapPost("/editions/{id:guid}/breakouts", async (Guid id, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "breakout");
            var start = AdminCommands.LocalTime(form, "startLocal");
            var facilitator = form.Optional("facilitatorName") is null && form.Optional("facilitatorAffiliation") is null ? null
                : new SpeakerRef(form["facilitatorName"].Trim(), form.Optional("facilitatorAffiliation"));
            var topics = form["topics"].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var command = new OpenBreakout(Guid.CreateVersion7(), form["topic"], facilitator, form.Int("capacity"), null, start,
                start is null ? null : form.Int("durationMinutes"), topics.Length == 0 ? null : topics, form.Optional("description"), null, form.Optional("room"));
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, command with { BreakoutId = Guid.Empty }),
                FieldOf);
            return ok ? AdminCommands.SeeOther($"/admin/editions/{id}/breakouts?done=opened")
                : Render(http, await AdminEditionPage.Load(handler, id, http), form, null, 422);
        });

        admin.MapPost("/editions/{id:guid}/breakouts/{breakoutId:guid}/close", async (Guid id, Guid breakoutId, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "close");
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, new CloseBreakout(breakoutId), form, null));
            return ok ? AdminCommands.SeeOther($"/admin/editions/{id}/breakouts?done=closed")
                : Render(http, await AdminEditionPage.Load(handler, id, http), form, null, 422);
        });
    }

    private static Page Render(HttpContext http, EditionState e, Form form, string? done, int status = 200)
    {
        var rows = e.Breakouts.Values.OrderBy(b => b.StartUtc).ThenBy(b => b.Topic, StringComparer.Ordinal).Select(b => H($"""
            <tr><td>{b.Topic}</td><td>{(b.Facilitator is { } f ? Public.AgendaMarkup.SpeakerText(f) : "")}</td>
            <td>{b.Participants.Count}{(b.Capacity is { } c ? $" of {c}" : "")}</td><td>{(b.Closed ? "closed" : "open")}</td>
            <td>{(b.Closed ? Empty : Forms.Button(http, $"/admin/editions/{e.Id}/breakouts/{b.Id}/close", $"Close “{b.Topic}”", "secondary"))}</td></tr>
            """));
        return new Page($"Breakouts · {e.Title}", H($"""
            {AdminEditionPage.Breadcrumb(e)}
            <h1>Breakouts</h1>
            {AdminEditionPage.Flash(done, Done)}
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Topic</th><th scope="col">Facilitator</th><th scope="col">Participants</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            <form method="post" action="/admin/editions/{e.Id}/breakouts" class="stacked" aria-labelledby="open-heading" novalidate>
            <h2 id="open-heading">Open a breakout</h2>
            {Forms.Csrf(http)}{Forms.OnceKey()}
            {Forms.Errors(form)}
            {Forms.Input(form, "topic", "Topic", required: true)}
            {Forms.Input(form, "topics", "Discussion topics", type: "textarea", hint: "One per line.")}
            <div class="row">
            {Forms.Input(form, "facilitatorName", "Facilitator")}
            {Forms.Input(form, "facilitatorAffiliation", "Facilitator's affiliation")}
            {Forms.Input(form, "capacity", "Capacity", type: "number", extra: "min=\"0\"")}
            </div>
            <div class="row">
            {Forms.Input(form, "startLocal", "Start", type: "datetime-local", hint: $"Local time in {e.TimeZone}.")}
            {Forms.Input(form, "durationMinutes", "Duration (minutes)", type: "number", extra: "min=\"1\"")}
            {Forms.Input(form, "room", "Room")}
            </div>
            {Forms.Input(form, "description", "Description", type: "textarea")}
            <button type="submit">Open breakout</button>
            </form>
            """), status);
    }
}
