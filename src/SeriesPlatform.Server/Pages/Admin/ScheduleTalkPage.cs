using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin/editions/{id}/talks/new</c>: ScheduleTalk through a form; refusals come back next to their field.</summary>
public static class ScheduleTalkPage
{
    public static void MapScheduleTalk(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/editions/{id:guid}/talks/new", async (Guid id, HttpContext http, CommandHandler handler) =>
            Render(http, await AdminEditionPage.Load(handler, id, http), Form.Empty("talk", new Dictionary<string, string>
            {
                ["durationMinutes"] = "45", ["kind"] = nameof(TalkKind.Invited),
            })));

        admin.MapPost("/editions/{id:guid}/talks", async (Guid id, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "talk");
            var start = AdminCommands.LocalTime(form, "startLocal");
            var duration = form.Int("durationMinutes");
            var kind = AdminCommands.Choice(form, "kind", TalkKind.Other);
            var command = new ScheduleTalk(Guid.CreateVersion7(), form.Optional("title"), form.Optional("abstract"), TalkForm.Speakers(form),
                null, start, start is null ? null : duration, form.Optional("room"), kind);
            if (start is null && duration is not null && !form.Errors.ContainsKey("startLocal")) form.Errors["startLocal"] = "is required when a duration is given";
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, command with { TalkId = Guid.Empty }),
                TalkForm.FieldOf);
            return ok ? AdminCommands.SeeOther($"/admin/editions/{id}?done=scheduled")
                : Render(http, await AdminEditionPage.Load(handler, id, http), form, 422);
        });
    }

    private static Page Render(HttpContext http, EditionState e, Form form, int status = 200) => new($"Schedule a talk · {e.Title}", H($"""
        {AdminEditionPage.Breadcrumb(e)}
        <h1>Schedule a talk</h1>
        <form method="post" action="/admin/editions/{e.Id}/talks" class="stacked" novalidate>
        {Forms.Csrf(http)}{Forms.OnceKey()}
        {Forms.Errors(form)}
        {TalkForm.Details(form)}
        {TalkForm.Slot(form, e.TimeZone)}
        {Forms.Select(form, "kind", "Kind", TalkForm.Kinds)}
        <button type="submit">Schedule talk</button>
        </form>
        """), status);
}
