using System.Collections.Concurrent;

namespace SeriesPlatform.Server.Commands;

/// <param name="Shared">A read was given this state: the next command evolves a copy of it, never the object a reader holds.</param>
public sealed record CachedState(long Version, long SnapshotVersion, object State, bool Shared = false);

/// <summary>
/// The last committed state of recently written streams, so a command does not deserialize the
/// snapshot and fold its tail each time. An entry is taken out while a command works on it (the
/// state is evolved in place) and put back only after commit; the caller checks the entry's
/// version against the stream head, so writes by other processes are never missed.
/// </summary>
public sealed class StateCache(int capacity = 5_000)
{
    private readonly ConcurrentDictionary<string, CachedState> _entries = new();
    private int _puts;

    public CachedState? Take(string streamId) => _entries.TryRemove(streamId, out var entry) ? entry : null;

    public void Put(string streamId, CachedState entry)
    {
        // Crude but bounded; entries are rebuilt from snapshots. Count locks every stripe of the
        // dictionary, so it is looked at on every 256th put only (the bound may be passed by as many).
        if ((Interlocked.Increment(ref _puts) & 255) == 0 && _entries.Count >= capacity) _entries.Clear();
        _entries.AddOrUpdate(streamId, entry, (_, existing) => existing.Version > entry.Version ? existing : entry);
    }
}
