using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>A page of the events a projection reads, and the head of the log seen by the same statement.</summary>
/// <param name="Head">When the page is not full: how far it is complete (the reader may move its checkpoint there).</param>
/// <param name="AtHead">Nothing readable follows <paramref name="Head"/> yet: the reader has caught up (and may wait for more).</param>
internal sealed record ProjectionPage(IReadOnlyList<RecordedEvent> Events, GlobalCursor Head, bool AtHead)
{
    /// <summary>
    /// How far a reader that asked for <paramref name="limit"/> events after <paramref name="after"/> has
    /// now seen the log: a full page to its last event, a partial one to the head.
    /// </summary>
    public GlobalCursor Reach(GlobalCursor after, int limit)
    {
        if (Events.Count >= limit) return Events[^1].Cursor;
        var reach = Head > after ? Head : after;
        return Events.Count > 0 && Events[^1].Cursor > reach ? Events[^1].Cursor : reach;
    }
}

/// <summary>
/// Reads the gap-safe global log for projections, filtered by event type in SQL. The head comes
/// from the same statement (one snapshot), so when a page is not full the projection may move its
/// checkpoint up to that head: every event in between is of a type it does not read, and no event
/// older than the snapshot's xmin can still appear.
/// </summary>
internal sealed class ProjectionLog(NpgsqlDataSource dataSource, EventTypeRegistry types)
{
    private const string PageSql = """
        with visible as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
        page as (
            select e.position, e.tx_id, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version,
                   e.data, e.metadata, e.recorded_at
            from events e, visible
            where (e.tx_id, e.position) > ($1, $2) and e.tx_id < visible.xmin and ($4::text[] is null or e.type = any($4))
            order by e.tx_id, e.position
            limit $3)
        select * from (select 0 as head, * from page order by tx_id, position) rows
        union all
        select 1, h.position, h.tx_id, null, null, null, null, null, null, null, null
        from (select e.position, e.tx_id from events e, visible where e.tx_id < visible.xmin
              order by e.tx_id desc, e.position desc limit 1) h
        """;

    public async Task<ProjectionPage> ReadPageAsync(GlobalCursor after, IReadOnlyCollection<string>? eventTypes, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(PageSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        cmd.Parameters.AddWithValue(after.Position);
        cmd.Parameters.AddWithValue(limit);
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventTypes?.ToArray() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var events = new List<RecordedEvent>(Math.Min(limit, 4096));
        var head = GlobalCursor.Start;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetInt32(0) == 1) head = new GlobalCursor(reader.GetFieldValue<ulong>(2), reader.GetInt64(1));
            else events.Add(ReadEvent(reader, 1));
        }
        return new ProjectionPage(events, head, AtHead: events.Count < limit);
    }

    /// <summary>One event by its position (for retrying a dead letter).</summary>
    public async Task<RecordedEvent?> ReadAtAsync(long position, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select position, tx_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at
            from events where position = $1
            """, connection);
        cmd.Parameters.AddWithValue(position);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadEvent(reader, 0) : null;
    }

    private RecordedEvent ReadEvent(NpgsqlDataReader reader, int o)
    {
        var type = reader.GetString(o + 5);
        // The JSON as UTF-8, as it comes from the driver: no UTF-16 string in between.
        var json = reader.GetFieldValue<byte[]>(o + 7);
        object data;
        try { data = types.Deserialize(type, reader.GetInt32(o + 6), json); }
        // A body that no longer fits its CLR type must not stop the page: the projection sees the raw
        // JSON, cannot handle it, and the event goes to the dead letters with the reason.
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            data = new UnreadableEvent(Encoding.UTF8.GetString(json), ex.Message);
        }
        return new RecordedEvent(
            Position: reader.GetInt64(o),
            TxId: reader.GetFieldValue<ulong>(o + 1),
            StreamId: reader.GetString(o + 2),
            StreamVersion: reader.GetInt64(o + 3),
            EventId: reader.GetGuid(o + 4),
            Type: type,
            Data: data,
            Metadata: JsonSerializer.Deserialize<EventMetadata>(reader.GetFieldValue<byte[]>(o + 8), types.Json) ?? new EventMetadata(),
            RecordedAt: reader.GetFieldValue<DateTimeOffset>(o + 9));
    }
}

/// <summary>The stored JSON of an event that could not be read as its registered type.</summary>
public sealed record UnreadableEvent(string Json, string Error);
