using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SeriesPlatform.Server.Webhooks;

/// <summary>How one delivery attempt went.</summary>
/// <param name="Gone">The receiver answered 410: it wants no more deliveries.</param>
public sealed record SendOutcome(bool Delivered, bool Gone, int? Status, TimeSpan? RetryAfter, string? Error, TimeSpan Duration)
{
    /// <summary>
    /// Whether trying again later can help: 429 and 5xx (the receiver is busy or broken for now), a
    /// timeout or a network failure (no status). Any other answer (400, 401, 404, 413, a redirect ...)
    /// says this request will not be accepted as it is, and neither would a retry; such an event goes
    /// straight to the dead letters, where an admin can replay it once the receiver is fixed. A target
    /// our rules refuse is not retried either.
    /// </summary>
    public bool Retryable => !Delivered && !Gone && !RefusedByRules && (Status is null or 429 or >= 500);

    /// <summary>The target was refused by our own address rules (not the receiver's answer).</summary>
    public bool RefusedByRules { get; init; }
}

/// <summary>
/// Sends one signed delivery. Never throws for what the receiver or the network did: every
/// failure becomes an outcome the dispatcher records. Only our own shutdown cancels.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookOptions options, TimeProvider clock)
{
    public async Task<SendOutcome> SendAsync(string url, string secret, Guid webhookId, byte[] body, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        if (TargetRules.CheckUrl(url, options, out var uri) is { } refused)
            return new SendOutcome(false, false, null, null, "target refused: " + refused, stopwatch.Elapsed) { RefusedByRules = true };
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        var id = webhookId.ToString();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, id, timestamp, body));
        try
        {
            using var response = await clients.CreateClient(WebhookHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return new SendOutcome(status is >= 200 and < 300, response.StatusCode == HttpStatusCode.Gone, status,
                RetryAfter(response.Headers.RetryAfter), status is >= 200 and < 300 ? null : $"HTTP {status}", stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendOutcome(false, false, null, null, $"timed out after {options.Timeout.TotalSeconds:0.#} s", stopwatch.Elapsed);
        }
        catch (HttpRequestException ex)
        {
            var refusedAtConnect = ex.InnerException as WebhookTargetRefused ?? ex.InnerException?.InnerException as WebhookTargetRefused;
            return new SendOutcome(false, false, null, null, refusedAtConnect is null ? ex.Message : "target refused: " + refusedAtConnect.Message, stopwatch.Elapsed)
            {
                RefusedByRules = refusedAtConnect is not null,
            };
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow(),
        _ => null,
    };
}
