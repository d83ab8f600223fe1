namespace SeriesPlatform.Server.Webhooks;

/// <summary>
/// Delivery settings from configuration. Defaults suit production; tests shorten the delays.
/// <c>SERIES_WEBHOOK_ALLOWED_HOSTS</c>: comma-separated hosts that may be targeted over http and
/// even though they resolve to loopback or private addresses (tests, closed networks).
/// </summary>
public sealed record WebhookOptions(
    IReadOnlySet<string> AllowedHosts,
    int MaxAttempts,
    TimeSpan BaseDelay,
    TimeSpan MaxDelay,
    TimeSpan Timeout,
    TimeSpan PollInterval)
{
    public static WebhookOptions From(IConfiguration c) => new(
        (c["SERIES_WEBHOOK_ALLOWED_HOSTS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
        MaxAttempts: Math.Clamp(c.GetValue("SERIES_WEBHOOK_MAX_ATTEMPTS", 8), 1, 50),
        BaseDelay: TimeSpan.FromMilliseconds(Math.Max(1, c.GetValue("SERIES_WEBHOOK_RETRY_BASE_MS", 5_000))),
        MaxDelay: TimeSpan.FromMilliseconds(Math.Max(1, c.GetValue("SERIES_WEBHOOK_RETRY_MAX_MS", 3_600_000))),
        Timeout: TimeSpan.FromMilliseconds(Math.Max(100, c.GetValue("SERIES_WEBHOOK_TIMEOUT_MS", 10_000))),
        PollInterval: TimeSpan.FromMilliseconds(Math.Max(50, c.GetValue("SERIES_WEBHOOK_POLL_MS", 1_000))));

    public bool IsAllowListed(string host) => AllowedHosts.Contains(host.ToLowerInvariant());

    /// <summary>
    /// Exponential backoff with full jitter (attempt 1 waits up to BaseDelay, then ×4 each time,
    /// capped), unless the receiver said how long to wait with Retry-After.
    /// </summary>
    public TimeSpan DelayBefore(int nextAttempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked) return asked < MaxDelay ? (asked > TimeSpan.Zero ? asked : TimeSpan.Zero) : MaxDelay;
        var ceiling = BaseDelay.TotalMilliseconds * Math.Pow(4, Math.Max(0, nextAttempt - 2));
        ceiling = Math.Min(ceiling, MaxDelay.TotalMilliseconds);
        // Half fixed, half random: spreads retries from many subscriptions without retrying at once.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
