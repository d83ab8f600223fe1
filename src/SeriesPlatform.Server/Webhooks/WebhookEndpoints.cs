using System.Security.Claims;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Webhooks;

/// <summary>
/// Webhook subscriptions. Integration keys manage their own; admins see and manage all, and only
/// admins replay dead letters. The secret is in the creation answer and nowhere else.
/// </summary>
public static class WebhookEndpoints
{
    public sealed record CreateBody(string? Url, string[]? Types, string[]? Series, string? After);
    public sealed record Created(Guid Id, string Url, string[] Types, string[] Series, string Status, string Secret);
    public sealed record View(Guid Id, string Url, string[] Types, string[] Series, string Status, string? StatusReason, string Checkpoint,
        int PendingAttempts, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);
    public sealed record DeadLetterView(Guid Id, Guid EventId, string EventType, string Cursor, int Attempts, int? LastStatus, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset? ReplayedAt);
    public sealed record ReplayResult(Guid DeadLetterId, bool Delivered, int? HttpStatus, string? Error);

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton(sp => WebhookOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services.AddWebhookHttpClient();
    }

    public static void MapWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/webhooks").WithTags("Integrations").RequireAuthorization(Policies.Integration);

        hooks.MapPost("/", async (CreateBody body, HttpContext http, WebhookStore store, PostgresEventStore events, WebhookOptions options,
            WebhookDispatcher dispatcher, CancellationToken ct) =>
        {
            // A key limited to one series subscribes to that series only.
            var limited = Access.OnlySeries(http.User) is null ? body : body with { Series = [.. Access.LimitSeries(http.User, body.Series)] };
            var subscription = await SubscribeAsync(limited, Http.Actor(http.User), store, events, options, dispatcher, ct);
            return TypedResults.Created($"/api/webhooks/{subscription.Id}", new Created(subscription.Id, subscription.Url, subscription.Types,
                subscription.Series, subscription.Status, subscription.Secret));
        });

        hooks.MapGet("/", async (HttpContext http, WebhookStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ListAsync(IsAdmin(http.User) ? null : Http.Actor(http.User), ct)).Where(s => MayManage(http.User, s))
                .Select(ToView).ToList()));

        hooks.MapGet("/{id:guid}", async (Guid id, HttpContext http, WebhookStore store, CancellationToken ct) =>
            TypedResults.Ok(ToView(await Find(http, store, id, ct))));

        hooks.MapPost("/{id:guid}/pause", (Guid id, HttpContext http, WebhookStore store, WebhookDispatcher d, CancellationToken ct) =>
            SetStatus(http, store, d, id, "paused", "Paused by a client.", ct));
        hooks.MapPost("/{id:guid}/resume", (Guid id, HttpContext http, WebhookStore store, WebhookDispatcher d, CancellationToken ct) =>
            SetStatus(http, store, d, id, "active", null, ct));

        hooks.MapDelete("/{id:guid}", async (Guid id, HttpContext http, WebhookStore store, CancellationToken ct) =>
        {
            await Find(http, store, id, ct);
            await store.DeleteAsync(id, ct);
            return Results.NoContent();
        });

        hooks.MapGet("/{id:guid}/deliveries", async (Guid id, string? limit, HttpContext http, WebhookStore store, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var n = FeedEndpoints.ParseInt(limit, "limit", 1, 1000, 100, errors);
            LocalTimes.ThrowIfAny(errors);
            await Find(http, store, id, ct);
            return TypedResults.Ok(await store.DeliveriesAsync(id, n, ct));
        });

        hooks.MapGet("/{id:guid}/dead-letters", async (Guid id, HttpContext http, WebhookStore store, CancellationToken ct) =>
        {
            await Find(http, store, id, ct);
            return TypedResults.Ok((await store.DeadLettersAsync(id, null, ct)).Select(d =>
                new DeadLetterView(d.Id, d.EventId, d.EventType, d.Cursor, d.Attempts, d.LastStatus, d.LastError, d.CreatedAt, d.ReplayedAt)).ToList());
        });

        // Replay sends the stored event once, now, with the same webhook-id (receivers dedupe on it).
        hooks.MapPost("/{id:guid}/dead-letters/{deadLetterId:guid}/replay", async (Guid id, Guid deadLetterId, HttpContext http, WebhookStore store,
            WebhookSender sender, CancellationToken ct) =>
        {
            var (letter, result) = await ReplayAsync(await Find(http, store, id, ct), deadLetterId, store, sender, ct);
            return TypedResults.Ok(new ReplayResult(letter.Id, result.Delivered, result.Status, result.Error));
        }).RequireAuthorization(Policies.Admin);
    }

    /// <summary>
    /// Validates and stores a new subscription (the target rules, the filter, the start cursor), and
    /// wakes the dispatcher. Refusals are a <see cref="ValidationFailed"/> keyed url, types, series, after.
    /// </summary>
    public static async Task<Subscription> SubscribeAsync(CreateBody body, string owner, WebhookStore store, PostgresEventStore events,
        WebhookOptions options, WebhookDispatcher dispatcher, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (TargetRules.CheckUrl(body.Url, options, out var uri) is { } bad) errors["url"] = [bad];
        else if (await TargetRules.CheckAddressesAsync(uri!, options, ct) is { } refused) errors["url"] = [refused];
        var filter = FeedFilter.Create(body.Types, body.Series, null, errors);
        var after = FeedEndpoints.ParseCursor(body.After, "after", errors);
        LocalTimes.ThrowIfAny(errors);

        // Without 'after' a subscription starts with the events that come after it.
        var start = after ?? await events.ReadHeadAsync(ct);
        var subscription = new Subscription(Guid.CreateVersion7(), owner, uri!.ToString(), [.. filter.Types.Order()],
            [.. filter.Series.Order()], WebhookSignature.NewSecret(), "active", null, start, 0, null, DateTimeOffset.UtcNow);
        await store.CreateAsync(subscription, ct);
        dispatcher.Poke();
        return subscription;
    }

    /// <summary>Pauses or resumes (waking the dispatcher on resume).</summary>
    public static async Task ChangeStatusAsync(WebhookStore store, WebhookDispatcher dispatcher, Guid id, string status, string? reason, CancellationToken ct)
    {
        await store.SetStatusAsync(id, status, reason, ct);
        if (status == "active") dispatcher.Poke();
    }

    /// <summary>Sends a dead letter once, now, with its original webhook-id, and records the attempt.</summary>
    public static async Task<(DeadLetter Letter, SendOutcome Result)> ReplayAsync(Subscription subscription, Guid deadLetterId, WebhookStore store,
        WebhookSender sender, CancellationToken ct)
    {
        var letter = (await store.DeadLettersAsync(subscription.Id, deadLetterId, ct)).FirstOrDefault()
            ?? throw new NotFound($"Dead letter {deadLetterId} does not exist for webhook {subscription.Id}.");
        var result = await sender.SendAsync(subscription.Url, subscription.Secret, letter.EventId, System.Text.Encoding.UTF8.GetBytes(letter.Payload), ct);
        await store.RecordReplayAsync(subscription.Id, letter, result, ct);
        return (letter, result);
    }

    private static async Task<IResult> SetStatus(HttpContext http, WebhookStore store, WebhookDispatcher dispatcher, Guid id, string status,
        string? reason, CancellationToken ct)
    {
        await Find(http, store, id, ct);
        await ChangeStatusAsync(store, dispatcher, id, status, reason, ct);
        return TypedResults.Ok(ToView((await store.GetAsync(id, ct))!));
    }

    /// <summary>The subscription if this caller may see it; someone else's is a 404, not a 403, so ids do not leak.</summary>
    private static async Task<Subscription> Find(HttpContext http, WebhookStore store, Guid id, CancellationToken ct)
    {
        var subscription = await store.GetAsync(id, ct);
        if (subscription is null || !IsAdmin(http.User) && subscription.Owner != Http.Actor(http.User) || !MayManage(http.User, subscription))
            throw new NotFound($"Webhook {id} does not exist.");
        return subscription;
    }

    private static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>
    /// A key limited to one series manages only subscriptions limited to exactly that series (those it
    /// creates always are): one for every series, or for others too, would show it their events.
    /// </summary>
    private static bool MayManage(ClaimsPrincipal user, Subscription s) =>
        Access.OnlySeries(user) is not { } only || s.Series is [var single] && single == only;

    private static View ToView(Subscription s) => new(s.Id, s.Url, s.Types, s.Series, s.Status, s.StatusReason, s.Checkpoint.ToString(),
        s.Attempts, s.NextAttemptAt, s.CreatedAt);
}
