using System.Collections.Concurrent;

namespace SeriesPlatform.Server.Commands;

public sealed record CachedState(long Version, long SnapshotVersion, object State);

/// <summary>
/// The last committed state of recently written streams, so a command does not deserialize the
/// snapshot and fold its tail each time. An entry is taken out while a command works on it (the
/// state is evolved in place) and put back only after commit; the caller checks the entry's
/// version against the stream head, so writes by other processes are never missed.
/// </summary>
public sealed class StateCache(int capacity = 5_000)
{
    private readonly ConcurrentDictionary<string, CachedState> _entries = new();

    public CachedState? Take(string streamId) => _entries.TryRemove(streamId, out var entry) ? entry : null;

    public void Put(string streamId, CachedState entry)
    {
        if (_entries.Count >= capacity) _entries.Clear(); // crude but bounded; entries are rebuilt from snapshots
        _entries.AddOrUpdate(streamId, entry, (_, existing) => existing.Version > entry.Version ? existing : entry);
    }
}
