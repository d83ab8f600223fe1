using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Privacy;
using SeriesPlatform.Server.Talks;

namespace SeriesPlatform.Server.Breakouts;

public static class BreakoutEndpoints
{
    /// <param name="Room">Where it meets, when it has a room of its own: then nothing else may be scheduled there at the same time.</param>
    public sealed record OpenBreakoutBody(string? Topic, TalkEndpoints.SpeakerBody? Facilitator, int? Capacity, List<Link>? Links, string? Start, int? DurationMinutes,
        string? Room = null);
    public sealed record JoinBody(string? Name, Guid? RegistrationId);
    /// <summary>Public view: participants are people, so only their number is shown.</summary>
    public sealed record BreakoutSummary(Guid Id, string Topic, SpeakerRef? Facilitator, int? Capacity, IReadOnlyList<Link> Links,
        DateTime? StartLocal, int? DurationMinutes, DateTimeOffset? StartUtc, string? Room, bool Closed, int Participants);

    public static void MapBreakouts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}/breakouts").WithTags("Breakouts");
        group.MapGet("/", async (Guid id, CommandHandler handler, CancellationToken ct) =>
            TypedResults.Ok((await EditionEndpoints.Load(handler, id, ct)).Breakouts.Values.Select(Summary).OrderBy(b => b.StartUtc).ThenBy(b => b.Topic).ToList()));
        group.MapGet("/{breakoutId:guid}/participants", async (Guid id, Guid breakoutId, HttpContext http, CommandHandler handler, PersonalDataVault vault,
            CancellationToken ct) =>
        {
            var e = await EditionEndpoints.Load(handler, id, ct);
            if (!e.Breakouts.TryGetValue(breakoutId, out var b)) throw new NotFound($"Breakout {breakoutId} does not exist.");
            Access.EnsureSeries(http.User, e.SeriesSlug);
            var open = await vault.OpenerAsync(b.Participants.Select(p => p.SubjectId), ct);
            return TypedResults.Ok(b.Participants.Select(p => new
            {
                name = open(p.SubjectId, p.Name) ?? PersonalDataVault.Forgotten, registrationId = p.RegistrationId, joinedAt = p.JoinedAt,
            }).ToList());
        }).RequireAuthorization(Policies.Admin);
        group.MapPost("/", (Guid id, OpenBreakoutBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var start = LocalTimes.Parse(body.Start, "start", errors);
            LocalTimes.ThrowIfAny(errors);
            var facilitator = body.Facilitator is { } f ? new SpeakerRef(f.Name ?? "", f.Affiliation, f.Orcid, f.Bio) : null;
            var command = new OpenBreakout(Guid.CreateVersion7(), body.Topic ?? "", facilitator, body.Capacity, body.Links ?? [], start, body.DurationMinutes,
                Room: body.Room);
            return EditionEndpoints.Run(http, handler, id, command, body, ct, 201, e => Summary(e.Breakouts[command.BreakoutId]),
                _ => $"/api/editions/{id}/breakouts/{command.BreakoutId}");
        }).RequireAuthorization(Policies.Admin).Creates();
        // A participant's name is personal data: sealed with the key of the registration's person, or of
        // a person of its own when they joined without registering.
        group.MapPost("/{breakoutId:guid}/participants", async (Guid id, Guid breakoutId, JoinBody body, HttpContext http, CommandHandler handler,
            PersonalDataVault vault, CancellationToken ct) =>
        {
            var plain = new JoinBreakout(breakoutId, body.Name ?? "", body.RegistrationId);
            if (plain.Validate() is { Count: > 0 } errors) throw new ValidationFailed(errors);
            var edition = await EditionEndpoints.Load(handler, id, ct);
            var subject = body.RegistrationId is { } rid && edition.FindRegistration(rid)?.SubjectId is { } s ? s : Guid.NewGuid();
            var participantKey = await vault.NameKeyAsync(breakoutId, plain.ParticipantName, ct);
            var response = await vault.WithSealerAsync(subject, sealer =>
            {
                var command = plain with { ParticipantName = sealer.Seal(plain.ParticipantName.Trim())!, SubjectId = subject, ParticipantKey = participantKey };
                return handler.HandleAsync<EditionState>(Aggregates.EditionStream(id), nameof(JoinBreakout), command.Decide,
                    Http.Command(http, body) with { Guards = [sealer.KeyGuard] }, e => Summary(e.Breakouts[breakoutId]), successStatus: 201, ct: ct);
            }, ct);
            return Http.Result(http, response);
        }).RequireAuthorization(Policies.Admin).Creates();
        group.MapPost("/{breakoutId:guid}/close", (Guid id, Guid breakoutId, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CloseBreakout(breakoutId), null, ct, respond: e => Summary(e.Breakouts[breakoutId])))
            .RequireAuthorization(Policies.Admin);
    }

    private static BreakoutSummary Summary(Breakout b) => new(b.Id, b.Topic, b.Facilitator, b.Capacity, b.Links, b.StartLocal, b.DurationMinutes,
        b.StartUtc, b.Room, b.Closed, b.Participants.Count);
}
