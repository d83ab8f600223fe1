using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Privacy;

namespace SeriesPlatform.Server.Registration;

public static class RegistrationEndpoints
{
    public sealed record RegisterBody(string? Name, string? Email, string? Affiliation);
    public sealed record RegistrationView(Guid Id, string Name, string? Email, string? Affiliation, bool Forgotten, RegistrationStatus Status,
        DateTimeOffset RegisteredAt, DateTimeOffset? PromotedAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CancelledAt, int? WaitlistPosition);

    public static void MapRegistrations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}/registrations").WithTags("Registration");

        // Attendees register themselves: no key needed. The answer says whether they got a seat.
        // Name, email and affiliation are checked in plain, then sealed with the person's key
        // before they reach the command, the events or any log.
        group.MapPost("/", async (Guid id, RegisterBody body, HttpContext http, CommandHandler handler, PersonalDataVault vault, CancellationToken ct) =>
        {
            var plain = new RegisterAttendee(Guid.CreateVersion7(), body.Name ?? "", body.Email ?? "", body.Affiliation);
            if (plain.Validate() is { Count: > 0 } errors) throw new ValidationFailed(errors);
            var subject = await vault.SubjectForEmailAsync(plain.Email, ct);
            var seal = await vault.SealerAsync(subject, ct);
            var command = plain with
            {
                Name = seal(plain.Name.Trim())!, Email = seal(plain.Email.Trim())!, Affiliation = seal(plain.Affiliation?.Trim()),
                SubjectId = subject, EmailKey = await vault.EmailKeyAsync(plain.Email, ct),
            };
            var response = await handler.HandleAsync<EditionState>(Aggregates.EditionStream(id), nameof(RegisterAttendee), command.Decide,
                Http.Command(http, body), e => Status(e, command.RegistrationId), successStatus: 201,
                location: _ => $"/api/editions/{id}/registrations/{command.RegistrationId}", ct: ct);
            return Http.Result(http, response);
        });

        group.MapGet("/", async (Guid id, CommandHandler handler, PersonalDataVault vault, CancellationToken ct) =>
        {
            var e = await EditionEndpoints.Load(handler, id, ct);
            var open = await vault.OpenerAsync(e.Registrations.Select(r => r.SubjectId), ct);
            var waitlist = e.Registrations.Where(r => r.Status == RegistrationStatus.Waitlisted).Select((r, i) => (r.Id, i + 1)).ToDictionary();
            return TypedResults.Ok(e.Registrations.Select(r => View(r, waitlist.TryGetValue(r.Id, out var p) ? p : null, open)).ToList());
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

    private static RegistrationView View(Domain.Registration r, int? position, Func<Guid?, string?, string?> open)
    {
        var name = open(r.SubjectId, r.Name);
        return new(r.Id, name ?? PersonalDataVault.Forgotten, open(r.SubjectId, r.Email), open(r.SubjectId, r.Affiliation), name is null,
            r.Status, r.RegisteredAt, r.PromotedAt, r.CheckedInAt, r.CancelledAt, position);
    }
}
