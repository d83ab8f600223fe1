using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Webhooks;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>
/// <c>/admin/webhooks</c>: every subscription, creating one (its secret is shown once, in the
/// answer to the form), pause, resume, delete; <c>/admin/webhooks/{id}</c>: its delivery log and
/// dead letters with replay. Everything goes through the functions the webhook API uses.
/// </summary>
public static class WebhooksPage
{
    private static readonly Dictionary<string, string> Done = new()
    {
        ["paused"] = "Webhook paused.", ["resumed"] = "Webhook resumed.", ["deleted"] = "Webhook deleted.",
        ["replayed"] = "Dead letter replayed: the receiver accepted it.", ["replay-failed"] = "Replay failed: see the newest attempt in the delivery log.",
    };

    public static void MapAdminWebhooks(this IEndpointRouteBuilder admin)
    {
        var hooks = admin.MapGroup("/webhooks").RequirePlatformAdmin();

        hooks.MapGet("/", async (string? done, HttpContext http, WebhookStore store) =>
            await RenderList(http, store, Form.Empty("webhook"), done, null));

        hooks.MapPost("/", async (HttpContext http, WebhookStore store, PostgresEventStore events, WebhookOptions options, WebhookDispatcher dispatcher) =>
        {
            var form = await Form.ReadAsync(http, "webhook");
            var body = new WebhookEndpoints.CreateBody(form.Optional("url"), List(form["types"]), List(form["series"]), null);
            Subscription? created = null;
            var ok = await AdminCommands.TryAsync(form, async () =>
                created = await WebhookEndpoints.SubscribeAsync(body, Http.Actor(http.User), store, events, options, dispatcher, http.RequestAborted));
            // The secret is in this answer only: it is not stored anywhere the pages can show it again.
            return ok ? await RenderList(http, store, Form.Empty("webhook"), null, created, 201)
                : await RenderList(http, store, form, null, null, 422);
        });

        hooks.MapPost("/{id:guid}/pause", async (Guid id, HttpContext http, WebhookStore store, WebhookDispatcher dispatcher) =>
        {
            await Find(store, id, http);
            await WebhookEndpoints.ChangeStatusAsync(store, dispatcher, id, "paused", "Paused by an admin.", http.RequestAborted);
            return AdminCommands.SeeOther("/admin/webhooks?done=paused");
        });

        hooks.MapPost("/{id:guid}/resume", async (Guid id, HttpContext http, WebhookStore store, WebhookDispatcher dispatcher) =>
        {
            await Find(store, id, http);
            await WebhookEndpoints.ChangeStatusAsync(store, dispatcher, id, "active", null, http.RequestAborted);
            return AdminCommands.SeeOther("/admin/webhooks?done=resumed");
        });

        hooks.MapPost("/{id:guid}/delete", async (Guid id, HttpContext http, WebhookStore store) =>
        {
            await Find(store, id, http);
            await store.DeleteAsync(id, http.RequestAborted);
            return AdminCommands.SeeOther("/admin/webhooks?done=deleted");
        });

        hooks.MapGet("/{id:guid}", async (Guid id, string? done, HttpContext http, WebhookStore store) =>
        {
            var subscription = await Find(store, id, http);
            var deliveries = await store.DeliveriesAsync(id, 100, http.RequestAborted);
            var letters = await store.DeadLettersAsync(id, null, http.RequestAborted);
            return RenderLog(http, subscription, deliveries, letters, done);
        });

        hooks.MapPost("/{id:guid}/dead-letters/{deadLetterId:guid}/replay", async (Guid id, Guid deadLetterId, HttpContext http, WebhookStore store,
            WebhookSender sender) =>
        {
            var (_, result) = await WebhookEndpoints.ReplayAsync(await Find(store, id, http), deadLetterId, store, sender, http.RequestAborted);
            return AdminCommands.SeeOther($"/admin/webhooks/{id}?done={(result.Delivered ? "replayed" : "replay-failed")}");
        });
    }

    private static async Task<Subscription> Find(WebhookStore store, Guid id, HttpContext http) =>
        await store.GetAsync(id, http.RequestAborted) ?? throw new NotFound($"Webhook {id} does not exist.");

    /// <summary>A multi-select arrives as repeated values (joined with commas here); a text field may list several with commas.</summary>
    private static string[]? List(string text)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length == 0 ? null : items;
    }

    private static string Short(string type) => type.StartsWith(PublicTypes.Prefix, StringComparison.Ordinal) ? type[PublicTypes.Prefix.Length..] : type;

    private static async Task<Page> RenderList(HttpContext http, WebhookStore store, Form form, string? done, Subscription? created, int status = 200)
    {
        var ct = http.RequestAborted;
        var subscriptions = await store.ListAsync(null, ct);
        var rows = new List<Html>();
        foreach (var s in subscriptions)
        {
            var open = (await store.DeadLettersAsync(s.Id, null, ct)).Count(d => d.ReplayedAt is null);
            rows.Add(H($"""
                <tr id="webhook-{s.Id}">
                <td><a href="/admin/webhooks/{s.Id}">{s.Url}</a><br><span class="meta">by {s.Owner}, since {PlatformAdminPages.When(s.CreatedAt)}</span></td>
                <td>{(s.Types.Length == 0 ? "all" : string.Join(", ", s.Types.Select(Short)))}</td>
                <td>{(s.Series.Length == 0 ? "all" : string.Join(", ", s.Series))}</td>
                <td class="{StatusClass(s.Status)}">{s.Status}{(s.StatusReason is null ? "" : $" ({s.StatusReason})")}</td>
                <td>{Backlog(s, open)}</td>
                <td>{(s.Status == "active"
                    ? Forms.Button(http, $"/admin/webhooks/{s.Id}/pause", "Pause", "secondary")
                    : Forms.Button(http, $"/admin/webhooks/{s.Id}/resume", "Resume", "secondary"))}
                {Forms.Button(http, $"/admin/webhooks/{s.Id}/delete", "Delete", "danger")}</td>
                </tr>
                """));
        }
        var secret = created is null ? Empty : H($"""
            <div class="flash" role="status">
            <p>Webhook created for <strong>{created.Url}</strong>. Its signing secret is shown this once; store it with the receiver now:</p>
            <p><code id="webhook-secret">{created.Secret}</code></p>
            <p><a href="/admin/webhooks/{created.Id}">Delivery log</a></p>
            </div>
            """);
        var selected = new HashSet<string>(List(form["types"]) ?? [], StringComparer.Ordinal);
        var typeError = form.Errors.TryGetValue("types", out var te) ? te : null;
        var typeOptions = PublicTypes.All.Order(StringComparer.Ordinal).Select(t => selected.Contains(t) || selected.Contains(Short(t))
            ? H($"""<option value="{t}" selected>{Short(t)}</option>""")
            : H($"""<option value="{t}">{Short(t)}</option>"""));
        var typesId = form.Id("types");
        return new Page("Webhooks", H($"""
            <p class="meta"><a href="/admin">Admin</a></p>
            <h1>Webhooks</h1>
            {AdminEditionPage.Flash(done, Done)}
            {secret}
            {(subscriptions.Count == 0 ? H($"<p>No webhooks yet.</p>") : H($"""
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">URL</th><th scope="col">Types</th><th scope="col">Series</th><th scope="col">Status</th><th scope="col">Backlog</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                <tbody>{rows}</tbody>
                </table></div>
                """))}
            <form method="post" action="/admin/webhooks" class="stacked" aria-labelledby="new-webhook" novalidate>
            <h2 id="new-webhook">Create a webhook</h2>
            {Forms.Csrf(http)}
            {Forms.Errors(form)}
            {Forms.Input(form, "url", "URL", type: "url", required: true, hint: "https only; loopback and private addresses are refused unless the host is on SERIES_WEBHOOK_ALLOWED_HOSTS.")}
            <div class="field{(typeError is null ? "" : " invalid")}">
            <label for="{typesId}">Event types</label>
            <p class="hint" id="{typesId}-hint">None selected: every public event. Ctrl/⌘-click selects several.</p>
            <select id="{typesId}" name="types" multiple size="8" aria-describedby="{typesId}-hint{(typeError is null ? "" : $" {typesId}-error")}">{typeOptions}</select>
            {(typeError is null ? Empty : H($"""<p class="error" id="{typesId}-error">{typeError}</p>"""))}
            </div>
            {Forms.Input(form, "series", "Series", hint: "Series slugs, separated by commas; empty: every series.")}
            <button type="submit">Create webhook</button>
            </form>
            """), status);
    }

    private static Html Backlog(Subscription s, int openDeadLetters)
    {
        var retrying = s.Attempts > 0
            ? H($"{Format.Count(s.Attempts, "failed attempt", "failed attempts")} on the next event{(s.NextAttemptAt is { } next ? H($", retry at {PlatformAdminPages.When(next)}") : Empty)}")
            : Text("no retry pending");
        return H($"""{retrying}<br><span class="meta">checkpoint {s.Checkpoint.ToString()} · {Format.Count(openDeadLetters, "open dead letter", "open dead letters")}</span>""");
    }

    private static string StatusClass(string status) => status switch { "active" => "status-ok", "paused" => "status-warn", _ => "status-bad" };

    private static Page RenderLog(HttpContext http, Subscription s, List<DeliveryRecord> deliveries, List<DeadLetter> letters, string? done)
    {
        var attempts = deliveries.Select(d => H($"""
            <tr><td>{PlatformAdminPages.When(d.AttemptedAt)}</td><td>{Short(d.EventType)}<br><span class="meta">{d.Cursor}</span></td><td>{d.Attempt}</td>
            <td class="{(d.Outcome is "delivered" or "replayed" ? "status-ok" : d.Outcome == "failed" ? "status-warn" : "status-bad")}">{d.Outcome}</td>
            <td>{(d.HttpStatus is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "—")}</td><td>{d.DurationMs} ms</td><td>{d.Error}</td></tr>
            """));
        var dead = letters.Select(d => H($"""
            <tr><td>{PlatformAdminPages.When(d.CreatedAt)}</td><td>{Short(d.EventType)}<br><span class="meta">{d.Cursor}</span></td><td>{d.Attempts}</td>
            <td>{d.LastError ?? (d.LastStatus is { } code ? $"HTTP {code}" : "—")}</td>
            <td>{(d.ReplayedAt is { } at ? H($"replayed {PlatformAdminPages.When(at)}") : Text("open"))}</td>
            <td>{Forms.Button(http, $"/admin/webhooks/{s.Id}/dead-letters/{d.Id}/replay", d.ReplayedAt is null ? "Replay" : "Replay again", "secondary")}</td></tr>
            """));
        return new Page($"Webhook · {s.Url}", H($"""
            <p class="meta"><a href="/admin">Admin</a> · <a href="/admin/webhooks">Webhooks</a></p>
            <h1>Webhook deliveries</h1>
            {AdminEditionPage.Flash(done, Done)}
            <p class="lead"><strong>{s.Url}</strong> · <span class="{StatusClass(s.Status)}">{s.Status}</span>{(s.StatusReason is null ? "" : $" ({s.StatusReason})")}
            · types: {(s.Types.Length == 0 ? "all" : string.Join(", ", s.Types.Select(Short)))} · series: {(s.Series.Length == 0 ? "all" : string.Join(", ", s.Series))}</p>
            <p>{Backlog(s, letters.Count(d => d.ReplayedAt is null))}</p>
            <section aria-labelledby="dead-letters"><h2 id="dead-letters">Dead letters</h2>
            {(letters.Count == 0 ? H($"<p>None.</p>") : H($"""
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Since</th><th scope="col">Event</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                <tbody>{dead}</tbody>
                </table></div>
                """))}
            </section>
            <section aria-labelledby="log"><h2 id="log">Delivery log</h2>
            <p class="hint">The newest 100 attempts, newest first.</p>
            {(deliveries.Count == 0 ? H($"<p>No delivery attempts yet.</p>") : H($"""
                <div class="table-wrap"><table>
                <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">HTTP status</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
                <tbody>{attempts}</tbody>
                </table></div>
                """))}
            </section>
            """));
    }
}
