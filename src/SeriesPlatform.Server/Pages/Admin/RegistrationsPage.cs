using System.Globalization;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Privacy;
using SeriesPlatform.Server.Registration;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>
/// <c>/admin/editions/{id}/registrations</c>: registered attendees and the waitlist in order, cancel
/// (which promotes the first waitlisted attendee) and check in. Attendees' names and emails are
/// sealed personal data: opened with the privacy vault, exactly as the admin API does, and shown
/// only here, behind the admin cookie. (Attendees register through the API, which seals them.)
/// </summary>
public static class RegistrationsPage
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["cancelled"] = "Registration cancelled.", ["checked-in"] = "Checked in.",
    };

    public static void MapAdminRegistrations(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/editions/{id:guid}/registrations", async (Guid id, string? done, HttpContext http, CommandHandler handler, PersonalDataVault vault) =>
            await RenderAsync(http, vault, await AdminEditionPage.Load(handler, id, http), null, done));

        admin.MapPost("/editions/{id:guid}/registrations/{registrationId:guid}/{action:regex(^(cancel|check-in)$)}",
            async (Guid id, Guid registrationId, string action, HttpContext http, CommandHandler handler, PersonalDataVault vault) =>
            {
                var form = await Form.ReadAsync(http, "row");
                ICommand<EditionState> command = action == "cancel" ? new CancelRegistration(registrationId) : new CheckInAttendee(registrationId);
                var ok = await AdminCommands.TryAsync(form, () => AdminCommands.Edition(http, handler, id, command, form, null));
                return ok ? AdminCommands.SeeOther($"/admin/editions/{id}/registrations?done={(action == "cancel" ? "cancelled" : "checked-in")}")
                    : await RenderAsync(http, vault, await AdminEditionPage.Load(handler, id, http), form, null, 422);
            });
    }

    private static async Task<Page> RenderAsync(HttpContext http, PersonalDataVault vault, EditionState e, Form? refused, string? done, int status = 200)
    {
        var who = await Registrants.ReadAsync(http.RequestServices.GetRequiredService<PostgresEventStore>(), vault, e, http.RequestAborted);
        var position = 0;
        var rows = e.Registrations.Select(r =>
        {
            var person = who.GetValueOrDefault(r.Id);
            return H($"""
                <tr><td>{person?.Name ?? PersonalDataVault.Forgotten}</td><td>{person?.Email}</td><td>{person?.Affiliation}</td>
                <td>{(r.Status == RegistrationStatus.Waitlisted ? $"waitlisted (#{++position})" : r.Status.ToString().ToLowerInvariant())}{(r.CheckedIn ? ", checked in" : "")}</td>
                <td>{r.RegisteredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</td>
                <td>{(r.Active ? Forms.Button(http, $"/admin/editions/{e.Id}/registrations/{r.Id}/cancel", "Cancel", "danger") : Empty)}
                {(r.Status == RegistrationStatus.Registered && !r.CheckedIn ? Forms.Button(http, $"/admin/editions/{e.Id}/registrations/{r.Id}/check-in", "Check in", "secondary") : Empty)}</td></tr>
                """);
        }).ToList();
        return new Page($"Registrations · {e.Title}", H($"""
            {AdminEditionPage.Breadcrumb(e)}
            <h1>Registrations</h1>
            {AdminEditionPage.Flash(done, Done)}
            {(refused is null ? Empty : Forms.Errors(refused))}
            <p>{e.SeatsTaken} registered{(e.Capacity is { } c ? $" of {c} seats" : "")}, {position} waitlisted. Registration is <strong>{(e.RegistrationOpen ? "open" : "closed")}</strong>.</p>
            <div class="table-wrap"><table>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Affiliation</th><th scope="col">Status</th><th scope="col">Registered</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{rows}</tbody>
            </table></div>
            """), status);
    }
}
