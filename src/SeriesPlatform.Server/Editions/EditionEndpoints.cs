using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Editions;

public static class EditionEndpoints
{
    public sealed record VenueBody(string? Name, string? City, string? Country);
    public sealed record PlanEditionBody(string? Title, string? StartDate, string? EndDate, int? Year, string? DatesAsStated, string? TimeZone,
        VenueBody? Venue, EditionFormat? Format, int? Capacity, string? VirtualMeetingUrl);
    public sealed record PlanNextBody(string? StartDate, string? Title);
    public sealed record DatesBody(string? StartDate, string? EndDate);
    public sealed record ReasonBody(string? Reason);
    public sealed record OrganizerBody(string? Name, string? Affiliation, string? Orcid);

    /// <summary>The public view of an edition: no registrations, no meeting link.</summary>
    public sealed record EditionDocument(Guid Id, string SeriesSlug, string Title, DateOnly? StartDate, DateOnly? EndDate, int? Year,
        string? DatesAsStated, IReadOnlyList<DateClaim> AlternativeDates, string TimeZone, Venue? Venue, EditionFormat Format, int? Capacity,
        EditionStatus Status, bool RegistrationOpen, int Registered, int Waitlisted, IReadOnlyList<Organizer> Organizers, Guid? PlannedFrom, long Version,
        string? VirtualMeetingUrl = null);

    public static void MapEditions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/series/{slug}/editions", async (string slug, PlanEditionBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var series = await handler.LoadAsync<SeriesState>(Aggregates.SeriesStream(slug), ct);
            if (!series.Exists) throw new NotFound($"Series '{slug}' does not exist.");
            var errors = new Dictionary<string, string[]>();
            var start = LocalTimes.ParseDate(body.StartDate, "startDate", errors);
            var end = LocalTimes.ParseDate(body.EndDate, "endDate", errors);
            if (body.Format is null) errors["format"] = ["format is required: inPerson, virtual or hybrid."];
            LocalTimes.ThrowIfAny(errors);
            var id = Guid.CreateVersion7();
            var command = new PlanEdition(id, slug, body.Title ?? "", start, end, body.Year, body.DatesAsStated, null, body.TimeZone ?? "",
                body.Venue is { } v ? new Venue(v.Name ?? "", v.City, v.Country) : null, body.Format!.Value, body.Capacity, body.VirtualMeetingUrl);
            return Http.Result(http, await handler.HandleAsync(Aggregates.EditionStream(id), command, Http.Command(http, body),
                s => new { id = s.Id, title = s.Title }, creates: true, successStatus: 201, location: s => $"/api/editions/{s.Id}", ct: ct));
        }).WithTags("Editions").RequireAuthorization(Policies.Admin).Creates();

        var group = app.MapGroup("/api/editions/{id:guid}").WithTags("Editions");

        group.MapGet("/", async (Guid id, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var e = await Load(handler, id, ct);
            http.Response.Headers.ETag = Http.ETag(e.Version);
            // The meeting link is a secret (it carries the password): admins of the series only.
            return TypedResults.Ok(Access.IsAdminOf(http.User, e.SeriesSlug) ? Document(e) with { VirtualMeetingUrl = e.VirtualMeetingUrl } : Document(e));
        });

        group.MapGet("/agenda", async (Guid id, string? asOf, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var instant = LocalTimes.ParseInstant(asOf, "asOf");
            var e = instant is { } at
                ? await handler.LoadAsOfAsync<EditionState>(Aggregates.EditionStream(id), at, ct)
                : await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
            if (!e.Exists) throw new NotFound(instant is null ? $"Edition {id} does not exist." : $"Edition {id} did not exist at {instant:O}.");
            var etag = Http.ETag(e.Version);
            if (Http.NotModified(http, etag)) return Results.StatusCode(304);
            return Results.Ok(new { asOf = instant, version = e.Version, agenda = AgendaView.Build(e) });
        });

        group.MapPost("/next", async (Guid id, PlanNextBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var start = LocalTimes.ParseDate(body.StartDate, "startDate", errors);
            if (start is null && !errors.ContainsKey("startDate")) errors["startDate"] = ["startDate is required."];
            LocalTimes.ThrowIfAny(errors);
            var previous = await Load(handler, id, ct);
            var newId = Guid.CreateVersion7();
            var command = new PlanNextEdition(newId, start!.Value, body.Title);
            if (command.Validate() is { Count: > 0 } invalid) throw new ValidationFailed(invalid);
            return Http.Result(http, await handler.HandleAsync<EditionState>(Aggregates.EditionStream(newId), nameof(PlanNextEdition),
                (fresh, now) => fresh.Exists ? throw new RuleViolation("already-exists", "The edition exists.") : command.Decide(previous, now),
                Http.Command(http, body), s => new { id = s.Id, title = s.Title, plannedFrom = s.PlannedFrom },
                creates: true, successStatus: 201, location: s => $"/api/editions/{s.Id}", ct: ct));
        }).RequireAuthorization(Policies.Admin).Creates();

        group.MapPut("/dates", (Guid id, DatesBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var start = LocalTimes.ParseDate(body.StartDate, "startDate", errors);
            var end = LocalTimes.ParseDate(body.EndDate, "endDate", errors);
            if (start is null || end is null) errors.TryAdd("startDate", ["startDate and endDate are required."]);
            LocalTimes.ThrowIfAny(errors);
            return Run(http, handler, id, new RescheduleEdition(start!.Value, end!.Value), body, ct);
        }).RequireAuthorization(Policies.Admin);

        group.MapPost("/announce", (Guid id, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new AnnounceEdition(), null, ct)).RequireAuthorization(Policies.Admin);
        group.MapPost("/cancel", (Guid id, ReasonBody? body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new CancelEdition(body?.Reason), body, ct)).RequireAuthorization(Policies.Admin);
        group.MapPost("/conclude", (Guid id, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new ConcludeEdition(), null, ct)).RequireAuthorization(Policies.Admin);
        group.MapPost("/registration/open", (Guid id, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new OpenRegistration(), null, ct)).RequireAuthorization(Policies.Admin);
        group.MapPost("/registration/close", (Guid id, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new CloseRegistration(), null, ct)).RequireAuthorization(Policies.Admin);
        group.MapPost("/organizers", (Guid id, OrganizerBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            Run(http, handler, id, new AddEditionOrganizer(body.Name ?? "", body.Affiliation, body.Orcid), body, ct, 201))
            .RequireAuthorization(Policies.Admin).Creates();
    }

    /// <summary>Runs an edition command and answers with the public edition document.</summary>
    public static async Task<IResult> Run(HttpContext http, CommandHandler handler, Guid id, ICommand<EditionState> command, object? body,
        CancellationToken ct, int successStatus = 200, Func<EditionState, object?>? respond = null, Func<EditionState, string?>? location = null)
    {
        var response = await handler.HandleAsync(Aggregates.EditionStream(id), command, Http.Command(http, body),
            respond ?? (e => Document(e)), successStatus: successStatus, location: location, ct: ct);
        return Http.Result(http, response);
    }

    public static async Task<EditionState> Load(CommandHandler handler, Guid id, CancellationToken ct)
    {
        var e = await handler.LoadAsync<EditionState>(Aggregates.EditionStream(id), ct);
        return e.Exists ? e : throw new NotFound($"Edition {id} does not exist.");
    }

    public static EditionDocument Document(EditionState e) => new(e.Id, e.SeriesSlug, e.Title, e.StartDate, e.EndDate, e.Year, e.DatesAsStated,
        e.AlternativeDates, e.TimeZone, e.Venue, e.Format, e.Capacity, e.Status, e.RegistrationOpen,
        e.SeatsTaken, e.WaitlistedCount, e.Organizers, e.PlannedFrom, e.Version);
}
