using System.Security.Cryptography;
using System.Text;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
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
            var emailKey = await vault.EmailKeyAsync(plain.Email, ct);
            var registrationId = plain.RegistrationId;
            var link = $"/api/editions/{id}/registrations/{registrationId}/access?token={await vault.AttendeeTokenAsync(registrationId, ct)}";
            var response = await vault.WithSealerAsync(subject, sealer =>
            {
                var command = plain with
                {
                    Name = sealer.Seal(plain.Name.Trim())!, Email = sealer.Seal(plain.Email.Trim())!, Affiliation = sealer.Seal(plain.Affiliation?.Trim()),
                    SubjectId = subject, EmailKey = emailKey,
                };
                return handler.HandleAsync<EditionState>(Aggregates.EditionStream(id), nameof(RegisterAttendee), command.Decide,
                    Http.Command(http, body) with { Guards = [sealer.KeyGuard] }, e => Status(e, registrationId, link), successStatus: 201,
                    location: _ => $"/api/editions/{id}/registrations/{registrationId}", ct: ct);
            }, ct);
            return Http.Result(http, response);
        }).Creates();

        group.MapGet("/", async (Guid id, HttpContext http, CommandHandler handler, PostgresEventStore store, PersonalDataVault vault, CancellationToken ct) =>
        {
            var e = await EditionEndpoints.Load(handler, id, ct);
            Access.EnsureSeries(http.User, e.SeriesSlug);
            var who = await Registrants.ReadAsync(store, vault, e, ct);
            var waitlist = e.Registrations.Where(r => r.Status == RegistrationStatus.Waitlisted).Select((r, i) => (r.Id, i + 1)).ToDictionary();
            return TypedResults.Ok(e.Registrations.Select(r => View(r, who.GetValueOrDefault(r.Id), waitlist.TryGetValue(r.Id, out var p) ? p : null)).ToList());
        }).RequireAuthorization(Policies.Admin);

        // The attendee's personal link: their status and, while they hold a seat, the meeting link of a virtual edition.
        group.MapGet("/{registrationId:guid}/access", async (Guid id, Guid registrationId, string? token, CommandHandler handler, PersonalDataVault vault,
            CancellationToken ct) =>
        {
            var expected = await vault.AttendeeTokenAsync(registrationId, ct);
            if (token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected)))
                throw new NotFound("No such attendee link.");
            var e = await EditionEndpoints.Load(handler, id, ct);
            var r = e.Registrations.FirstOrDefault(x => x.Id == registrationId) ?? throw new NotFound("No such attendee link.");
            var holdsSeat = r.Status == RegistrationStatus.Registered && e.Status is not (EditionStatus.Cancelled or EditionStatus.Concluded);
            return TypedResults.Ok(new { edition = e.Id, title = e.Title, status = r.Status, meetingUrl = holdsSeat ? e.VirtualMeetingUrl : null });
        });

        group.MapDelete("/{registrationId:guid}", (Guid id, Guid registrationId, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CancelRegistration(registrationId), null, ct, respond: e => Status(e, registrationId)))
            .RequireAuthorization(Policies.Admin);

        group.MapPost("/{registrationId:guid}/check-in", (Guid id, Guid registrationId, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CheckInAttendee(registrationId), null, ct, respond: e => Status(e, registrationId)))
            .RequireAuthorization(Policies.Admin);
    }

    private static object Status(EditionState e, Guid registrationId, string? attendeeLink = null)
    {
        var r = e.FindRegistration(registrationId) ?? throw new NotFound($"Registration {registrationId} does not exist.");
        var position = r.Status == RegistrationStatus.Waitlisted
            ? e.Registrations.Where(x => x.Status == RegistrationStatus.Waitlisted).TakeWhile(x => x.Id != registrationId).Count() + 1
            : (int?)null;
        return new { id = r.Id, status = r.Status, waitlistPosition = position, checkedIn = r.CheckedIn, attendeeLink };
    }

    private static RegistrationView View(Domain.Registration r, Registrant? who, int? position) =>
        new(r.Id, who?.Name ?? PersonalDataVault.Forgotten, who?.Email, who?.Affiliation, who?.Name is null,
            r.Status, r.RegisteredAt, r.PromotedAt, r.CheckedInAt, r.CancelledAt, position);
}
