namespace SeriesPlatform.EventStore.Projections;

/// <summary>
/// The projections of one process mostly read the same recent stretch of the log, each filtered to
/// its own event types. They share it: a runner that needs events past what is held reads one page
/// of every type any of them reads, and the others take their events from memory, so the log is
/// read and deserialized once instead of once per projection. The held stretch is complete: it has
/// every event of those types between its two cursors, and the far cursor is a head seen by a
/// gap-safe read, so a runner served from it may move its checkpoint there as after its own read.
/// A runner behind the held stretch (a rebuild, a runner that lost its lead and came back) reads
/// the log itself and leaves the stretch alone. Events every runner has passed are let go at once:
/// held longer, they would live through collections and be promoted, for nothing.
/// </summary>
internal sealed class SharedTail(ProjectionLog log, IReadOnlyCollection<string>? types, int capacity)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<IReadOnlyCollection<string>, HashSet<string>> _filters = new(ReferenceEqualityComparer.Instance);
    // Where each runner (by its event types) last asked to read from: it has taken in everything up to there.
    private readonly Dictionary<object, GlobalCursor> _readers = new(ReferenceEqualityComparer.Instance);
    private static readonly object AllTypes = new();
    private readonly List<RecordedEvent> _events = [];
    private GlobalCursor _from, _to;
    private bool _held;
    // The held stretch ends at the head of the log as last read (else it ends at a full page, and more follows).
    private bool _toIsHead;

    /// <summary>SQL reads of the log so far: for tests, which check that runners share them.</summary>
    public int Reads { get; private set; }

    /// <summary>Events held now: for tests, which check that what every runner passed is let go.</summary>
    internal int Held => _events.Count;

    /// <summary>
    /// The events of <paramref name="eventTypes"/> after <paramref name="after"/>, at most
    /// <paramref name="limit"/>; <see cref="ProjectionPage.Head"/> is how far the page is complete.
    /// </summary>
    public async Task<ProjectionPage> ReadPageAsync(GlobalCursor after, IReadOnlyCollection<string>? eventTypes, int limit, CancellationToken ct)
    {
        if (eventTypes is null && types is not null) throw new InvalidOperationException("A runner reads every type but the shared reads do not.");
        await _gate.WaitAsync(ct);
        try
        {
            if (_held && after < _from)
            {
                Reads++;
                return await log.ReadPageAsync(after, eventTypes, limit, ct);
            }
            _readers[(object?)eventTypes ?? AllTypes] = after;
            if (!_held || after >= _to) await ReadMoreAsync(after, limit, ct);
            return Serve(after, eventTypes, limit);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the page after <paramref name="after"/>: it extends the held stretch when it starts at its end, else replaces it.</summary>
    private async Task ReadMoreAsync(GlobalCursor after, int limit, CancellationToken ct)
    {
        var page = await log.ReadPageAsync(after, types, limit, ct);
        Reads++;
        if (!_held || after != _to)
        {
            _events.Clear();
            _from = after;
            _held = true;
        }
        _events.AddRange(page.Events);
        _toIsHead = page.Events.Count < limit;
        _to = page.Reach(after, limit);
        // Let go of what every runner has passed, and of the oldest beyond the capacity.
        var passed = Min(_readers.Values.Min(), _to);
        var drop = Math.Max(_events.Count - capacity, FirstAfter(passed));
        if (drop > 0) _from = Max(_from, _events[drop - 1].Cursor);
        if (passed > _from) _from = passed;
        _events.RemoveRange(0, drop);
    }

    private ProjectionPage Serve(GlobalCursor after, IReadOnlyCollection<string>? eventTypes, int limit)
    {
        var filter = eventTypes is null ? null : Filter(eventTypes);
        var page = new List<RecordedEvent>(Math.Min(limit, 256));
        for (var i = FirstAfter(after); i < _events.Count && page.Count < limit; i++)
            if (filter is null || filter.Contains(_events[i].Type)) page.Add(_events[i]);
        // A runner that takes fewer events than it asked for is at the head only if the stretch is: in
        // a catch-up the stretch ends at a full page of all types, of which a runner may take a few.
        return new ProjectionPage(page, _to, AtHead: page.Count < limit && _toIsHead);
    }

    private int FirstAfter(GlobalCursor after)
    {
        int lo = 0, hi = _events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_events[mid].Cursor <= after) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private HashSet<string> Filter(IReadOnlyCollection<string> eventTypes)
    {
        if (!_filters.TryGetValue(eventTypes, out var set))
        {
            if (types is not null && !eventTypes.All(types.Contains))
                throw new InvalidOperationException("A runner reads an event type the shared reads do not.");
            _filters[eventTypes] = set = new HashSet<string>(eventTypes, StringComparer.Ordinal);
        }
        return set;
    }

    private static GlobalCursor Max(GlobalCursor a, GlobalCursor b) => a >= b ? a : b;
    private static GlobalCursor Min(GlobalCursor a, GlobalCursor b) => a <= b ? a : b;
}
