using System.Collections.Concurrent;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Read-ahead for clients paging through the feed: after a full page, the next one (same filter and
/// limit) is read while the client takes in this one, so a catch-up reader's requests overlap the
/// database reads instead of waiting for them. Serving a page read a little earlier is still
/// gap-safe: a full page ends below the snapshot horizon it was read under, so every event that
/// became readable since sorts after it. Bounded: a few pages, each dropped after a few seconds.
/// </summary>
public sealed class FeedReadAhead(FeedReader reader)
{
    private const int MaxPages = 8;
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(GlobalCursor After, int Limit, string Filter), Ahead> _pages = new();

    private sealed record Ahead(Task<FeedPage> Page, DateTime Until);

    public async Task<FeedPage> ReadOrWaitAsync(GlobalCursor after, int limit, FeedFilter filter, TimeSpan wait, CancellationToken ct)
    {
        var page = _pages.TryRemove((after, limit, filter.Key), out var ahead) && await Completed(ahead.Page) is { } early
            ? early
            : await reader.ReadOrWaitAsync(after, limit, filter, wait, ct);
        if (page.Entries.Count == limit && !page.AtHead) Prefetch(page.Next, limit, filter);
        return page;
    }

    private void Prefetch(GlobalCursor after, int limit, FeedFilter filter)
    {
        Sweep();
        if (_pages.Count >= MaxPages) return;
        var read = Task.Run(() => reader.ReadAsync(after, limit, filter, CancellationToken.None));
        if (!_pages.TryAdd((after, limit, filter.Key), new Ahead(read, DateTime.UtcNow + KeepFor))) Discard(read);
    }

    /// <summary>Pages nobody asked for in time go back to the pool.</summary>
    private void Sweep()
    {
        var now = DateTime.UtcNow;
        foreach (var (key, ahead) in _pages)
            if (ahead.Until < now && _pages.TryRemove(new KeyValuePair<(GlobalCursor, int, string), Ahead>(key, ahead))) Discard(ahead.Page);
    }

    private static async Task<FeedPage?> Completed(Task<FeedPage> page)
    {
        try { return await page; }
        catch { return null; } // read again in the request, where an error reaches the client
    }

    private static void Discard(Task<FeedPage> page) =>
        page.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
}
