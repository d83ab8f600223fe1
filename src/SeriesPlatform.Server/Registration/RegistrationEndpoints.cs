using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Registration;

public static class RegistrationEndpoints
{
    public sealed record RegisterBody(string? Name, string? Email, string? Affiliation);
    public sealed record RegistrationView(Guid Id, string Name, string Email, string? Affiliation, RegistrationStatus Status,
        DateTimeOffset RegisteredAt, DateTimeOffset? PromotedAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CancelledAt, int? WaitlistPosition);

    public static void MapRegistrations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}/registrations").WithTags("Registration");

        // Attendees register themselves: no key needed. The answer says whether they got a seat.
        group.MapPost("/", (Guid id, RegisterBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var command = new RegisterAttendee(Guid.CreateVersion7(), body.Name ?? "", body.Email ?? "", body.Affiliation);
            return EditionEndpoints.Run(http, handler, id, command, body, ct, 201,
                e => Status(e, command.RegistrationId), _ => $"/api/editions/{id}/registrations/{command.RegistrationId}");
        });

        group.MapGet("/", async (Guid id, CommandHandler handler, CancellationToken ct) =>
        {
            var e = await EditionEndpoints.Load(handler, id, ct);
            var waitlist = e.Registrations.Where(r => r.Status == RegistrationStatus.Waitlisted).Select((r, i) => (r.Id, i + 1)).ToDictionary();
            return TypedResults.Ok(e.Registrations.Select(r => View(r, waitlist.TryGetValue(r.Id, out var p) ? p : null)).ToList());
        }).RequireAuthorization(Policies.Admin);

        group.MapDelete("/{registrationId:guid}", (Guid id, Guid registrationId, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CancelRegistration(registrationId), null, ct, respond: e => Status(e, registrationId)))
            .RequireAuthorization(Policies.Admin);

        group.MapPost("/{registrationId:guid}/check-in", (Guid id, Guid registrationId, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CheckInAttendee(registrationId), null, ct, respond: e => Status(e, registrationId)))
            .RequireAuthorization(Policies.Admin);
    }

    private static object Status(EditionState e, Guid registrationId)
    {
        var r = e.Registrations.FirstOrDefault(x => x.Id == registrationId) ?? throw new NotFound($"Registration {registrationId} does not exist.");
        var position = r.Status == RegistrationStatus.Waitlisted
            ? e.Registrations.Where(x => x.Status == RegistrationStatus.Waitlisted).TakeWhile(x => x.Id != registrationId).Count() + 1
            : (int?)null;
        return new { id = r.Id, status = r.Status, waitlistPosition = position, checkedIn = r.CheckedIn };
    }

    private static RegistrationView View(Domain.Registration r, int? position) =>
        new(r.Id, r.Name, r.Email, r.Affiliation, r.Status, r.RegisteredAt, r.PromotedAt, r.CheckedInAt, r.CancelledAt, position);
}
