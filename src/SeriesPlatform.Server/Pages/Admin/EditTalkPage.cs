using System.Globalization;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary><c>/admin/editions/{id}/talks/{talkId}</c>: reschedule, retitle (revise details) or cancel one agenda item.</summary>
public static class EditTalkPage
{
    public static void MapEditTalk(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/editions/{id:guid}/talks/{talkId:guid}", async (Guid id, Guid talkId, HttpContext http, CommandHandler handler) =>
        {
            var (e, item) = await Load(handler, id, talkId, http);
            return Render(http, e, item, SlotForm(item), DetailsForm(item), Form.Empty("cancel"));
        });

        admin.MapPost("/editions/{id:guid}/talks/{talkId:guid}/slot", async (Guid id, Guid talkId, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "slot");
            var start = AdminCommands.LocalTime(form, "startLocal");
            if (start is null && !form.Errors.ContainsKey("startLocal")) form.Errors["startLocal"] = "is required";
            var duration = form.Int("durationMinutes");
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id,
                new RescheduleTalk(talkId, start!.Value, duration, form.Optional("room")), form, new { start, duration, room = form.Optional("room") }),
                TalkForm.FieldOf);
            if (ok) return AdminCommands.SeeOther($"/admin/editions/{id}?done=rescheduled");
            var (e, item) = await Load(handler, id, talkId, http);
            return Render(http, e, item, form, DetailsForm(item), Form.Empty("cancel"), 422);
        });

        admin.MapPost("/editions/{id:guid}/talks/{talkId:guid}/details", async (Guid id, Guid talkId, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "details");
            var (_, before) = await Load(handler, id, talkId, http);
            // An emptied abstract is left as it was: the command reads null as "unchanged".
            var command = new ReviseTalkDetails(talkId, form.Optional("title"), form.Optional("abstract"),
                before.Kind == AgendaItemKind.Talk ? TalkForm.Speakers(form) : null);
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, command), TalkForm.FieldOf);
            if (ok) return AdminCommands.SeeOther($"/admin/editions/{id}?done=revised");
            var (e, item) = await Load(handler, id, talkId, http);
            return Render(http, e, item, SlotForm(item), form, Form.Empty("cancel"), 422);
        });

        admin.MapPost("/editions/{id:guid}/talks/{talkId:guid}/cancel", async (Guid id, Guid talkId, HttpContext http, CommandHandler handler) =>
        {
            var form = await Form.ReadAsync(http, "cancel");
            var command = new CancelTalk(talkId, form.Optional("reason"));
            var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, command));
            if (ok) return AdminCommands.SeeOther($"/admin/editions/{id}?done=cancelled");
            var (e, item) = await Load(handler, id, talkId, http);
            return Render(http, e, item, SlotForm(item), DetailsForm(item), form, 422);
        });
    }

    private static async Task<(EditionState, AgendaItem)> Load(CommandHandler handler, Guid id, Guid talkId, HttpContext http)
    {
        var e = await AdminEditionPage.Load(handler, id, http);
        return e.Items.TryGetValue(talkId, out var item) ? (e, item) : throw new NotFound($"Edition '{e.Title}' has no agenda item {talkId}.");
    }

    private static Form SlotForm(AgendaItem item) => Form.Empty("slot", new Dictionary<string, string>
    {
        ["startLocal"] = item.StartLocal?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "",
        ["durationMinutes"] = item.DurationMinutes?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["room"] = item.Room ?? "",
    });

    private static Form DetailsForm(AgendaItem item) => Form.Empty("details", new Dictionary<string, string>
    {
        ["title"] = item.Title ?? "", ["abstract"] = item.Abstract ?? "",
        ["speakerName"] = item.Speakers.FirstOrDefault()?.Name ?? "", ["speakerAffiliation"] = item.Speakers.FirstOrDefault()?.Affiliation ?? "",
        ["speakerBio"] = item.Speakers.FirstOrDefault()?.Bio ?? "",
    });

    private static Page Render(HttpContext http, EditionState e, AgendaItem item, Form slot, Form details, Form cancel, int status = 200)
    {
        var name = item.Title ?? (item.Kind == AgendaItemKind.Talk ? "Details to come" : item.Kind.ToString());
        var basePath = $"/admin/editions/{e.Id}/talks/{item.Id}";
        var body = item.Cancelled
            ? H($"""<p class="notice">This item was cancelled{(item.CancellationReason is null ? "" : $": {item.CancellationReason}")}.</p>""")
            : H($"""
                <form method="post" action="{basePath}/slot" class="stacked" aria-labelledby="slot-heading" novalidate>
                <h2 id="slot-heading">Reschedule</h2>
                {Forms.Csrf(http)}{Forms.OnceKey()}
                {Forms.Errors(slot)}
                {TalkForm.Slot(slot, e.TimeZone)}
                <button type="submit">Move</button>
                </form>
                <form method="post" action="{basePath}/details" class="stacked" aria-labelledby="details-heading" novalidate>
                <h2 id="details-heading">Title, speaker, abstract</h2>
                {Forms.Csrf(http)}{Forms.OnceKey()}
                {Forms.Errors(details)}
                {TalkForm.Details(details)}
                <button type="submit">Save details</button>
                </form>
                <form method="post" action="{basePath}/cancel" class="stacked" aria-labelledby="cancel-heading">
                <h2 id="cancel-heading">Cancel</h2>
                {Forms.Csrf(http)}{Forms.OnceKey()}
                {Forms.Errors(cancel)}
                {Forms.Input(cancel, "reason", "Reason (optional)")}
                <button type="submit" class="danger">Cancel this item</button>
                </form>
                """);
        return new Page($"Edit {name}", H($"""
            {AdminEditionPage.Breadcrumb(e)}
            <h1>{name}</h1>
            {body}
            """), status);
    }
}
