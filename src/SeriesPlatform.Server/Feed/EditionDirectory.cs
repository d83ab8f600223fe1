using System.Collections.Concurrent;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Which series and time zone an edition belongs to, for events of its stream that do not say so
/// (a talk event only knows its edition). Read from the stream's first event, EditionPlanned, which
/// is committed no later than anything after it, and cached: neither fact ever changes. One entry
/// per edition ever planned is a small, bounded amount of memory.
/// </summary>
public sealed class EditionDirectory(PostgresEventStore store)
{
    private readonly ConcurrentDictionary<Guid, EditionInfo?> _known = new();

    public EditionInfo? Find(Guid editionId) => _known.TryGetValue(editionId, out var info) ? info : null;

    /// <summary>Makes sure every edition stream among <paramref name="events"/> is known.</summary>
    public async Task ResolveAsync(IEnumerable<RecordedEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            if (PublicEventMapper.EditionIdOf(e.StreamId) is not { } id || _known.ContainsKey(id)) continue;
            if (e.Data is EditionPlanned here) { _known[id] = new EditionInfo(here.SeriesSlug, here.TimeZone); continue; }
            EditionInfo? info = null;
            await foreach (var first in store.ReadStreamAsync(e.StreamId, 1, 1, ct: ct))
                if (first.Data is EditionPlanned planned) info = new EditionInfo(planned.SeriesSlug, planned.TimeZone);
            // A stream that does not start with EditionPlanned is not an edition: remember that too.
            _known[id] = info;
        }
    }
}
