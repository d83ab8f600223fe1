using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Talks;

/// <summary>The agenda: talks, breaks and poster sessions. Times are local wall-clock in the edition's zone.</summary>
public static class TalkEndpoints
{
    public sealed record SpeakerBody(string? Name, string? Affiliation, string? Orcid, string? Bio);
    public sealed record ScheduleTalkBody(string? Title, string? Abstract, List<SpeakerBody>? Speakers, string? Day, string? Start,
        int? DurationMinutes, string? Room, TalkKind? Kind);
    public sealed record ScheduleBreakBody(BreakKind? Kind, string? Label, string? Day, string? Start, int? DurationMinutes, string? Room);
    public sealed record SchedulePosterSessionBody(string? Title, string? Day, string? Start, int? DurationMinutes, string? Room, string? SignupUrl);
    public sealed record SlotBody(string? Start, int? DurationMinutes, string? Room);
    public sealed record ReviseBody(string? Title, string? Abstract, List<SpeakerBody>? Speakers);

    public static void MapTalks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}").WithTags("Agenda").RequireAuthorization(Policies.Admin);

        group.MapPost("/talks", (Guid id, ScheduleTalkBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var day = LocalTimes.ParseDate(body.Day, "day", errors);
            var start = LocalTimes.Parse(body.Start, "start", errors);
            LocalTimes.ThrowIfAny(errors);
            var command = new ScheduleTalk(Guid.CreateVersion7(), body.Title, body.Abstract, Speakers(body.Speakers), day, start,
                body.DurationMinutes, body.Room, body.Kind ?? TalkKind.Other);
            return Created(http, handler, id, command, command.TalkId, "talks", body, ct);
        }).Creates();

        group.MapPost("/breaks", (Guid id, ScheduleBreakBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var day = LocalTimes.ParseDate(body.Day, "day", errors);
            var start = LocalTimes.Parse(body.Start, "start", errors);
            LocalTimes.ThrowIfAny(errors);
            var command = new ScheduleBreak(Guid.CreateVersion7(), body.Kind ?? BreakKind.Other, body.Label, day, start, body.DurationMinutes, body.Room);
            return Created(http, handler, id, command, command.ItemId, "talks", body, ct);
        }).Creates();

        group.MapPost("/poster-sessions", (Guid id, SchedulePosterSessionBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var day = LocalTimes.ParseDate(body.Day, "day", errors);
            var start = LocalTimes.Parse(body.Start, "start", errors);
            LocalTimes.ThrowIfAny(errors);
            var command = new SchedulePosterSession(Guid.CreateVersion7(), body.Title, day, start, body.DurationMinutes, body.Room, body.SignupUrl);
            return Created(http, handler, id, command, command.ItemId, "talks", body, ct);
        }).Creates();

        group.MapPut("/talks/{talkId:guid}/slot", (Guid id, Guid talkId, SlotBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var start = LocalTimes.Parse(body.Start, "start", errors);
            if (start is null) errors.TryAdd("start", ["start is required."]);
            LocalTimes.ThrowIfAny(errors);
            return EditionEndpoints.Run(http, handler, id, new RescheduleTalk(talkId, start!.Value, body.DurationMinutes, body.Room), body, ct,
                respond: e => Item(e, talkId));
        });

        group.MapPatch("/talks/{talkId:guid}", (Guid id, Guid talkId, ReviseBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new ReviseTalkDetails(talkId, body.Title, body.Abstract, body.Speakers is null ? null : Speakers(body.Speakers)),
                body, ct, respond: e => Item(e, talkId)));

        group.MapDelete("/talks/{talkId:guid}", (Guid id, Guid talkId, string? reason, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new CancelTalk(talkId, reason), new { reason }, ct, respond: e => Item(e, talkId)));

        app.MapGet("/api/editions/{id:guid}/talks/{talkId:guid}", async (Guid id, Guid talkId, CommandHandler handler, CancellationToken ct) =>
            TypedResults.Ok(Item(await EditionEndpoints.Load(handler, id, ct), talkId))).WithTags("Agenda");
    }

    private static Task<IResult> Created(HttpContext http, CommandHandler handler, Guid editionId, ICommand<EditionState> command, Guid itemId,
        string path, object body, CancellationToken ct) =>
        EditionEndpoints.Run(http, handler, editionId, command, body, ct, 201, e => Item(e, itemId),
            e => $"/api/editions/{editionId}/{path}/{itemId}");

    private static AgendaEntry Item(EditionState e, Guid itemId) =>
        e.Items.TryGetValue(itemId, out var item) ? AgendaEntry.From(item, e.TimeZone) : throw new NotFound($"Agenda item {itemId} does not exist.");

    public static List<SpeakerRef> Speakers(List<SpeakerBody>? speakers) =>
        speakers?.Select(s => new SpeakerRef(s?.Name ?? "", s?.Affiliation, s?.Orcid, s?.Bio)).ToList() ?? [];
}
