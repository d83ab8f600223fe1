using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// The series (and, for an edition, its time zone) that public events are published under, with
/// the texts the feed writes for every event encoded once.
/// </summary>
public sealed class EditionInfo(string series, string? timeZone, string? source = null)
{
    /// <summary>Events about people belong to no series: no series filter matches them, their source is the people API.</summary>
    public static readonly EditionInfo People = new("", null, "/api/people");

    public string Series { get; } = series;
    public string? TimeZone { get; } = timeZone;
    public JsonEncodedText SeriesText { get; } = JsonEncodedText.Encode(series);
    public JsonEncodedText? TimeZoneText { get; } = timeZone is null ? null : JsonEncodedText.Encode(timeZone);
    /// <summary>The CloudEvent <c>source</c>, UTF-8.</summary>
    public byte[] Source { get; } = Encoding.UTF8.GetBytes(source ?? $"/api/series/{series}");
}

/// <summary>
/// Which series and time zone an edition belongs to, for events of its stream that do not say so
/// (a talk event only knows its edition). Read from the stream's first event, EditionPlanned, which
/// is committed no later than anything after it, and cached: neither fact ever changes. One entry
/// per edition ever planned is a small, bounded amount of memory.
/// </summary>
public sealed class EditionDirectory(PostgresEventStore store)
{
    private readonly ConcurrentDictionary<Guid, EditionInfo?> _known = new();

    /// <summary>
    /// An EditionPlanned event's own series and zone (located in <paramref name="planned"/>); remembered
    /// for the edition when it is the first the directory hears of it.
    /// </summary>
    public EditionInfo Learn(Guid editionId, StoredFields planned)
    {
        var info = new EditionInfo(planned.String("seriesSlug"u8) ?? "", planned.String("timeZone"u8));
        _known.TryAdd(editionId, info);
        return info;
    }

    /// <summary>The edition's series and zone; null when the stream does not start with EditionPlanned (it is not an edition).</summary>
    public async ValueTask<EditionInfo?> FindAsync(Guid editionId, string streamId, CancellationToken ct)
    {
        if (_known.TryGetValue(editionId, out var known)) return known;
        EditionInfo? info = null;
        await foreach (var first in store.ReadStreamAsync(streamId, 1, 1, ct: ct))
            if (first.Data is EditionPlanned planned) info = new EditionInfo(planned.SeriesSlug, planned.TimeZone);
        // A stream that does not start with EditionPlanned is not an edition: remember that too.
        _known[editionId] = info;
        return info;
    }
}
