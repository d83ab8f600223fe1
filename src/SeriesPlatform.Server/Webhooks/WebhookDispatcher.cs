using System.Collections.Concurrent;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;

namespace SeriesPlatform.Server.Webhooks;

/// <summary>
/// Delivers webhooks. Each round claims due subscriptions (a lease, so several server processes
/// share the work without sending one subscription's events twice at once) and runs each on its
/// own: it reads the public feed from the subscription's checkpoint and sends event after event,
/// in log order, never passing an event that has not been delivered or dead-lettered. That keeps
/// every stream's events in order per subscription, and a slow receiver only delays itself.
/// </summary>
public sealed class WebhookDispatcher(WebhookStore store, FeedReader feed, WebhookSender sender, WebhookOptions options,
    EventNotifications notifications, ILogger<WebhookDispatcher> log) : BackgroundService
{
    private const int MaxConcurrent = 16;
    private const int EventsPerTurn = 500;
    private static readonly TimeSpan MinimumRoundGap = TimeSpan.FromMilliseconds(20);
    /// <summary>
    /// How long a claim on a subscription lasts. It is renewed with every recorded delivery, so it only
    /// has to outlast one attempt (the request timeout); after a crash another process takes over
    /// when it runs out, so shorter is better.
    /// </summary>
    private TimeSpan Lease => options.Timeout * 2 > TimeSpan.FromSeconds(15) ? options.Timeout * 2 : TimeSpan.FromSeconds(15);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private TaskCompletionSource _poke = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Look for work now (a subscription was created or resumed).</summary>
    public void Poke() => Interlocked.Exchange(ref _poke, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            var poked = Volatile.Read(ref _poke).Task;
            try
            {
                var free = MaxConcurrent - _running.Count;
                if (free > 0)
                    foreach (var subscription in await store.ClaimDueAsync(_owner, Lease, [.. _running.Keys], free, stop))
                        _running[subscription.Id] = Task.Run(() => RunAsync(subscription, stop), CancellationToken.None);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                log.LogWarning(ex, "Claiming webhook subscriptions failed; retrying");
            }
            // New events, a poke, a finished subscription or the poll interval (for retries that fall due).
            // Under load appends wake this loop thousands of times a second, and each round is a
            // query: rounds start at least MinimumRoundGap apart, which a webhook waits at most.
            var gap = Task.Delay(MinimumRoundGap, stop);
            try { await Task.WhenAll(Task.WhenAny(notifications.WaitAsync(options.PollInterval, stop), poked), gap); }
            catch (OperationCanceledException) { }
        }
        await Task.WhenAll(_running.Values);
    }

    private async Task RunAsync(Subscription subscription, CancellationToken stop)
    {
        var more = false;
        try
        {
            more = await DeliverAsync(subscription, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down mid-send: nothing was recorded, so the next owner sends the same event again.
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Webhook subscription {Subscription} failed a turn", subscription.Id);
        }
        finally
        {
            try { await store.ReleaseAsync(subscription.Id, _owner, CancellationToken.None); }
            catch (Exception ex) { log.LogDebug(ex, "Releasing subscription {Subscription} failed; its lease will expire", subscription.Id); }
            _running.TryRemove(subscription.Id, out _);
            if (more) Poke(); // it stopped for fairness, not because it is done
        }
    }

    /// <summary>One turn; true when it stopped with events left to send.</summary>
    private async Task<bool> DeliverAsync(Subscription s, CancellationToken stop)
    {
        var filter = FeedFilter.Create(s.Types, s.Series, null, []);
        var cursor = s.Checkpoint;
        var attempts = s.Attempts;
        var sent = 0;
        while (sent < EventsPerTurn)
        {
            using var page = await feed.ReadAsync(cursor, 100, filter, stop);
            foreach (var entry in page.Entries)
            {
                // A pause (or delete) answered to a client stops the next send, not only the next turn.
                if (!await store.MayDeliverAsync(s.Id, _owner, stop)) return false;
                var attempt = attempts + 1;
                var result = await sender.SendAsync(s.Url, s.Secret, entry.Id, entry.Json.ToArray(), stop);
                sent++;
                if (result.Gone)
                {
                    await store.RecordAsync(s.Id, _owner, entry, attempt, "gone", result, new SubscriptionChange.Disable("The receiver answered 410 Gone."), stop);
                    log.LogInformation("Webhook subscription {Subscription} disabled: the receiver answered 410", s.Id);
                    return false;
                }
                // Only what may succeed later is retried; a refusal (a 4xx other than 429) is dead-lettered at once.
                if (result.Retryable && attempt < options.MaxAttempts)
                {
                    var delay = options.DelayBefore(attempt + 1, result.RetryAfter);
                    await store.RecordAsync(s.Id, _owner, entry, attempt, "failed", result, new SubscriptionChange.RetryLater(delay), stop);
                    return false;
                }
                var outcome = result.Delivered ? "delivered" : "dead-lettered";
                if (!await store.RecordAsync(s.Id, _owner, entry, attempt, outcome, result, new SubscriptionChange.Passed(Lease), stop)) return false;
                if (!result.Delivered)
                    log.LogWarning("Webhook event {Event} dead-lettered for subscription {Subscription} after {Attempts} attempts ({Error})", entry.Id, s.Id, attempt, result.Error);
                cursor = entry.Cursor;
                attempts = 0;
            }
            if (page.Next > cursor)
            {
                if (!await store.AdvanceAsync(s.Id, _owner, page.Next, Lease, stop)) return false;
                cursor = page.Next;
            }
            if (page.AtHead) return false;
        }
        return true;
    }
}
