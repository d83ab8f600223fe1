using System.Text.Json;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Feed;

/// <summary>One public event at its place in the log: its CloudEvent JSON, valid while its page is not disposed.</summary>
public sealed record FeedEntry(GlobalCursor Cursor, Guid Id, string Type, ReadOnlyMemory<byte> Json);

/// <summary>
/// Matching entries in log order, and where the next read starts. <see cref="Next"/> is past every
/// event looked at, matching or not, so a filter that matches nothing still advances.
/// <see cref="AtHead"/>: nothing more is readable right now. <see cref="Batch"/> is the whole page
/// as a CloudEvents batch (a JSON array); the entries are slices of it. Dispose the page when done
/// with it: its buffer goes back to the pool.
/// </summary>
public sealed class FeedPage(IReadOnlyList<FeedEntry> entries, GlobalCursor next, bool atHead, ReadOnlyMemory<byte> batch, PageBuffer buffer) : IDisposable
{
    public IReadOnlyList<FeedEntry> Entries { get; } = entries;
    public GlobalCursor Next { get; } = next;
    public bool AtHead { get; } = atHead;
    public ReadOnlyMemory<byte> Batch { get; } = batch;

    public void Dispose() => buffer.Dispose();
}

/// <summary>
/// Reads the public feed from the store's gap-safe global log: never skips, never reorders. Each
/// stored event's JSON is translated straight into its CloudEvent as the rows arrive (no internal
/// or public objects in between), into one buffer per page: memory is bounded by one page whatever
/// the log's size; clients page through a large log with the cursor.
/// </summary>
public sealed class FeedReader(PostgresEventStore store, EditionDirectory editions, EventNotifications notifications)
{
    public const int MaxLimit = 1000;
    private const int MaxChunk = 1000;
    /// <summary>A selective filter could scan the whole log in one request; stop and hand back the cursor instead.</summary>
    private const int MaxScanned = 20_000;

    private readonly record struct Written(GlobalCursor Cursor, Guid Id, string Type, int Start, int Length);

    public async Task<FeedPage> ReadAsync(GlobalCursor after, int limit, FeedFilter filter, CancellationToken ct)
    {
        // About a kilobyte per event: a full page of 1000 fits the first (pooled) buffer.
        var buffer = new PageBuffer(Math.Clamp(limit * 1024, 16 * 1024, 1024 * 1024));
        try
        {
            var written = new List<Written>(Math.Min(limit, 1024));
            var fields = new StoredFields();
            // The mapper writes well-formed JSON by construction (ContractTests parses every type), so the writer skips re-checking it.
            await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            var cursor = after;
            var scanned = 0;
            var atHead = false;
            // Without a filter every public event is wanted, so read about what was asked for; with
            // one, read bigger chunks so that a sparse match does not cost many round trips.
            var chunk = filter.IsEmpty ? limit : Math.Min(Math.Max(limit, 250), MaxChunk);
            buffer.Write((byte)'[');
            while (scanned < MaxScanned && written.Count < limit)
            {
                var read = 0;
                await foreach (var e in store.ReadAllStoredAsync(cursor, chunk, ct))
                {
                    cursor = e.Cursor;
                    scanned++;
                    read++;
                    if (await ScopeOfAsync(e, fields, ct) is not { } found) continue;
                    var (rule, scope, parsed) = found;
                    if (!filter.Matches(rule.PublicType, scope.Info.Series, scope.EditionId)) continue;
                    if (!parsed) fields.Parse(e.Data);
                    if (written.Count > 0) buffer.Write((byte)',');
                    var start = buffer.WrittenCount;
                    CloudEvents.Write(writer, e, rule, fields, scope);
                    writer.Flush();
                    writer.Reset();
                    written.Add(new Written(e.Cursor, e.EventId, rule.PublicType, start, buffer.WrittenCount - start));
                    if (written.Count == limit) break;
                }
                if (written.Count < limit && read < chunk) { atHead = true; break; }
            }
            buffer.Write((byte)']');
            var batch = buffer.WrittenMemory;
            var entries = written.ConvertAll(w => new FeedEntry(w.Cursor, w.Id, w.Type, batch.Slice(w.Start, w.Length)));
            return new FeedPage(entries, cursor, atHead, batch, buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The public rule and scope of a stored event, or null when it has no public form (an unknown or
    /// internal type, or not in the kind of stream its type belongs to: series, edition or people).
    /// An edition's first event teaches the directory its series and zone (its JSON is then already
    /// parsed: <c>Parsed</c>).
    /// </summary>
    private async ValueTask<(PublicEventMapper.Rule Rule, EventScope Scope, bool Parsed)?> ScopeOfAsync(StoredEvent e, StoredFields fields, CancellationToken ct)
    {
        if (PublicEventMapper.RuleFor(e.Type) is not { } rule) return null;
        if (rule.Stream == PublicEventMapper.StreamKind.People)
            return e.StreamId == PublicEventMapper.PeopleStream ? (rule, new EventScope(EditionInfo.People, null), false) : null;
        if (rule.Stream == PublicEventMapper.StreamKind.Series)
            return PublicEventMapper.SeriesSlugOf(e.StreamId) is { } slug ? (rule, new EventScope(new EditionInfo(slug, null), null), false) : null;
        if (PublicEventMapper.EditionIdOf(e.StreamId) is not { } id) return null;
        if (rule.PublicType == PublicTypes.EditionPlanned)
        {
            fields.Parse(e.Data);
            return (rule, new EventScope(editions.Learn(id, fields), id), true);
        }
        return await editions.FindAsync(id, e.StreamId, ct) is { } info ? (rule, new EventScope(info, id), false) : null;
    }

    /// <summary>
    /// Like <see cref="ReadAsync"/>, but an empty page at the head waits up to <paramref name="wait"/>
    /// for matching events and returns as soon as one is readable. The wake-up is armed before each
    /// read, so an event committed while we read is not missed; the check is the indexed page read
    /// itself (PostgresEventStore.WaitForNewEventsAsync probes with an unordered EXISTS that the
    /// planner runs as a sequential scan of the log: ~0.3 s at a million events). The 250 ms cap
    /// covers events that become readable without a notification (an older transaction ending).
    /// </summary>
    public async Task<FeedPage> ReadOrWaitAsync(GlobalCursor after, int limit, FeedFilter filter, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var wake = left > TimeSpan.Zero ? notifications.WaitAsync(left < PollCap ? left : PollCap, ct) : Task.CompletedTask;
            var page = await ReadAsync(after, limit, filter, ct);
            if (page.Entries.Count > 0 || !page.AtHead || left <= TimeSpan.Zero) return page;
            after = page.Next;
            page.Dispose();
            await wake;
        }
    }

    private static readonly TimeSpan PollCap = TimeSpan.FromMilliseconds(250);
}
