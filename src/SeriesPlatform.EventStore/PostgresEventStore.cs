using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SeriesPlatform.EventStore;

/// <summary>The event store on PostgreSQL: append with optimistic concurrency, read streams, read the global log gap-safely.</summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource, EventTypeRegistry types, EventNotifications notifications)
{
    private const string EventColumns =
        "position, tx_id, stream_id, stream_version, event_id, type, schema_version, data::text, metadata::text, recorded_at";

    public NpgsqlDataSource DataSource => dataSource;
    public EventTypeRegistry Types => types;

    public async Task<AppendResult> AppendAsync(string streamId, string streamType, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken ct = default)
    {
        // "Any" cannot conflict in meaning, only in timing: retry when a concurrent writer took the version.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                var result = await AppendAsync(connection, null, streamId, streamType, expected, events, ct);
                if (!result.WasDuplicate && result.FirstPosition is not null) notifications.Appended();
                return result;
            }
            catch (ConcurrencyConflictException) when (expected.Value is null && attempt < 20) { }
        }
    }

    /// <summary>
    /// Appends inside the caller's transaction, so inline projections commit with the events. One
    /// statement: the stream's head is read and the events inserted with the versions that follow;
    /// the unique (stream_id, stream_version) constraint makes a concurrent writer that read the
    /// same head fail instead of both succeeding. Call <see cref="NotifyAppended"/> after commit.
    /// </summary>
    public async Task<AppendResult> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId, string streamType,
        ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        if (events.Count == 0)
        {
            var current = await GetStreamVersionAsync(connection, tx, streamId, ct) ?? 0;
            if (expected.Value is { } v && v != current) throw new ConcurrencyConflictException(streamId, expected, current);
            return new AppendResult(streamId, current, null, null, false);
        }

        await using var cmd = new NpgsqlCommand(AppendSql, connection, tx);
        var ids = AddAppendParameters(cmd.Parameters, streamId, streamType, expected, events);

        long? first = null, last = null, version = null;
        var inserted = 0;
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                first ??= reader.GetInt64(0);
                last = reader.GetInt64(0);
                version = reader.GetInt64(1);
                inserted++;
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "events_stream_event_id_key")
        {
            // These event ids are in the stream already: a retry of an earlier append. Outside a
            // transaction we can answer with the original result; inside one the transaction is lost.
            if (tx is not null) throw new ConcurrencyConflictException(streamId, expected, expected.Value ?? -1);
            return await FindDuplicateAsync(connection, null, streamId, ids, ct)
                ?? throw new InvalidOperationException("A duplicate event id was reported but not found.");
        }
        catch (PostgresException ex) when (tx is null && ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "events_stream_version_key")
        {
            // Another writer read the same head and committed first (this insert waited for it):
            // say where the stream is now, as the version check does.
            throw new ConcurrencyConflictException(streamId, expected, (await ReadHeadOfStreamAsync(connection, null, streamId, ct)).Version);
        }
        catch (PostgresException ex) when (StoreErrors.Translate(ex, streamId, expected) is { } typed)
        {
            throw typed;
        }

        if (inserted == events.Count) return new AppendResult(streamId, version!.Value, first, last, false);
        // Nothing was inserted: the stream is archived, this batch is already in it (a retry with
        // the old expected version), or another writer moved the version.
        var (head, archived) = await ReadHeadOfStreamAsync(connection, tx, streamId, ct);
        if (archived) throw new StreamArchivedException(streamId);
        if (await FindDuplicateAsync(connection, tx, streamId, ids, ct) is { } original) return original;
        throw new ConcurrencyConflictException(streamId, expected, head);
    }

    /// <summary>
    /// The append as a batch command, for a caller that pipelines it with its own statements in one
    /// round trip, possibly in an implicit transaction that commits without a look at row counts.
    /// So a refusal is an error that aborts the transaction: a moved version raises
    /// <see cref="StoreErrors.AppendConflict"/> (the head in its hint), an archived stream
    /// <see cref="StoreErrors.AppendArchived"/>; <see cref="StoreErrors.Translate"/> turns them into
    /// the typed exceptions.
    /// </summary>
    public NpgsqlBatchCommand AppendCommand(string streamId, string streamType, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        if (events.Count == 0) throw new ArgumentException("Nothing to append.", nameof(events));
        if (events.Count == 1 && expected.Value > 0) return AppendOneCommand(streamId, expected.Value.Value, events[0]);
        var cmd = new NpgsqlBatchCommand(CheckedAppendSql);
        AddAppendParameters(cmd.Parameters, streamId, streamType, expected, events);
        return cmd;
    }

    /// <summary>
    /// A command's usual append: one event to a stream that exists (it has the version expected).
    /// Plain parameters and no stream-creating step: in PostgreSQL this costs about as much as a bare
    /// INSERT of the row, where the general form (arrays, unnest, the streams upsert) costs a fifth more.
    /// </summary>
    private NpgsqlBatchCommand AppendOneCommand(string streamId, long expected, EventData e)
    {
        var (type, schemaVersion) = types.NameOf(e.Data.GetType());
        return new NpgsqlBatchCommand(CheckedAppendOneSql)
        {
            Parameters =
            {
                new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = expected, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = e.EventId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = type, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = schemaVersion, NpgsqlDbType = NpgsqlDbType.Integer },
                new() { Value = types.SerializeToUtf8(e.Data), NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = e.Metadata is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(e.Metadata, types.Json), NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };
    }

    private Guid[] AddAppendParameters(NpgsqlParameterCollection parameters, string streamId, string streamType, ExpectedVersion expected,
        IReadOnlyList<EventData> events)
    {
        var ids = new Guid[events.Count];
        var typeNames = new string[events.Count];
        var schemaVersions = new int[events.Count];
        var data = new string[events.Count];
        var metadata = new string[events.Count];
        EventMetadata? lastMetadata = null;
        var lastMetadataJson = "{}";
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            (typeNames[i], schemaVersions[i]) = types.NameOf(e.Data.GetType());
            ids[i] = e.EventId;
            data[i] = types.Serialize(e.Data);
            // The events of one command share one metadata object: serialize it once.
            if (e.Metadata is not null && !ReferenceEquals(e.Metadata, lastMetadata))
                (lastMetadata, lastMetadataJson) = (e.Metadata, JsonSerializer.Serialize(e.Metadata, types.Json));
            metadata[i] = e.Metadata is null ? "{}" : lastMetadataJson;
        }
        parameters.Add(new NpgsqlParameter { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = streamType, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)expected.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter { Value = typeNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = schemaVersions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter { Value = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter { Value = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return ids;
    }

    // The fast path is a single INSERT: the head version is read in the same statement, archived
    // streams are filtered out, and the unique constraints catch concurrent writers and repeated
    // event ids. When nothing is inserted, the slow path works out why.
    private const string AppendSql = """
        with head as (
            select coalesce(max(stream_version), 0) as version from events where stream_id = $1
        ), accepted as (
            select head.version from head
            where ($3::bigint is null or head.version = $3)
              and not exists (select 1 from streams where id = $1 and archived)
        )
        """ + InsertAfterAccepted;

    // The same insert, refusing with an error instead of inserting nothing.
    private const string CheckedAppendSql = $"""
        with head as (
            select coalesce(max(stream_version), 0) as version,
                   exists (select 1 from streams where id = $1 and archived) as archived
            from events where stream_id = $1
        ), accepted as (
            select case
                when head.archived then raise_refusal('{StoreErrors.AppendArchived}', 'stream ' || $1 || ' is archived')
                when $3::bigint is not null and head.version <> $3
                    then raise_refusal('{StoreErrors.AppendConflict}', 'stream ' || $1 || ' moved', head.version::text)
                else head.version end as version
            from head
        )
        """ + InsertAfterAccepted;

    // One event after version $2 of a stream that has events (so its streams row exists).
    private const string CheckedAppendOneSql = $"""
        with head as (
            select coalesce(max(stream_version), 0) as version,
                   exists (select 1 from streams where id = $1 and archived) as archived
            from events where stream_id = $1
        )
        insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
        select $1, case
                when head.archived then raise_refusal('{StoreErrors.AppendArchived}', 'stream ' || $1 || ' is archived')
                when head.version <> $2 then raise_refusal('{StoreErrors.AppendConflict}', 'stream ' || $1 || ' moved', head.version::text)
                else head.version + 1 end,
               $3, $4, $5, $6, $7
        from head
        returning position, stream_version
        """;

    // Both appends end here: the "accepted" CTE holds the version the events follow.
    private const string InsertAfterAccepted = """
        , new_stream as (
            insert into streams (id, type) select $1, $2 from accepted where accepted.version = 0
            on conflict (id) do nothing
        )
        insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
        select $1, accepted.version + u.ord, u.id, u.t, u.sv, u.d, u.m
        from accepted, unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[]) with ordinality as u(id, t, sv, d, m, ord)
        order by u.ord
        returning position, stream_version
        """;

    private static async Task<(long Version, bool Archived)> ReadHeadOfStreamAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select coalesce((select max(stream_version) from events where stream_id = $1), 0),
                   coalesce((select archived from streams where id = $1), false)
            """, connection, tx);
        cmd.Parameters.AddWithValue(streamId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetBoolean(1));
    }

    private static async Task<AppendResult?> FindDuplicateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId, Guid[] ids, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select count(*), max(stream_version), min(position), max(position)
            from events where stream_id = $1 and event_id = any($2)
            """, connection, tx);
        cmd.Parameters.AddWithValue(streamId);
        cmd.Parameters.AddWithValue(ids);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0) == 0 ? null : new AppendResult(streamId, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), true);
    }

    /// <summary>Wakes readers here and in other processes; call after committing a transaction that appended.</summary>
    public void NotifyAppended() => notifications.Appended();

    public async Task<long?> GetStreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await GetStreamVersionAsync(connection, null, streamId, ct);
    }

    public static async Task<long?> GetStreamVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("select max(stream_version) from events where stream_id = $1", connection, tx);
        cmd.Parameters.AddWithValue(streamId);
        return await cmd.ExecuteScalarAsync(ct) is long v ? v : null;
    }

    /// <summary>
    /// Reads a stream forward. <paramref name="upTo"/> gives the stream as it stood at that instant (time travel).
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, long? toVersion = null,
        DateTimeOffset? upTo = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await foreach (var e in ReadStreamAsync(connection, null, streamId, fromVersion, toVersion, upTo, ct))
            yield return e;
    }

    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string streamId,
        long fromVersion = 1, long? toVersion = null, DateTimeOffset? upTo = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {EventColumns} from events
            where stream_id = $1 and stream_version >= $2 and ($3::bigint is null or stream_version <= $3)
              and ($4::timestamptz is null or recorded_at <= $4)
            order by stream_version
            """, connection, tx);
        cmd.Parameters.AddWithValue(streamId);
        cmd.Parameters.AddWithValue(fromVersion);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)toVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)upTo?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return ReadEvent(reader);
    }

    /// <summary>
    /// One page of the global log after <paramref name="after"/>, gap-safe: only events whose writing
    /// transaction is older than every transaction still running are returned, in (tx_id, position)
    /// order. An event committed late by a slow transaction therefore holds the page back until it is
    /// visible; it is never passed over.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(GlobalCursor after, int limit, CancellationToken ct = default)
    {
        var page = new List<RecordedEvent>(Math.Min(limit, 1024));
        await foreach (var e in ReadAllStreamingAsync(after, limit, ct)) page.Add(e);
        return page;
    }

    /// <summary>As <see cref="ReadAllAsync"/> but streams rows as they arrive, for large pages.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAllStreamingAsync(GlobalCursor after, int limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = GlobalPage(connection, EventColumns, after, limit);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return ReadEvent(reader);
    }

    /// <summary>
    /// The gap-safe page of the global log after <paramref name="after"/>: only events of transactions
    /// older than every one still running, so a page never skips an event that commits later.
    /// </summary>
    private static NpgsqlCommand GlobalPage(NpgsqlConnection connection, string columns, GlobalCursor after, int limit)
    {
        var cmd = new NpgsqlCommand($"""
            select {columns} from events
            where (tx_id, position) > ($1, $2) and tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by tx_id, position
            limit $3
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        cmd.Parameters.AddWithValue(after.Position);
        cmd.Parameters.AddWithValue(limit);
        return cmd;
    }

    /// <summary>
    /// The same gap-safe page as <see cref="ReadAllStreamingAsync"/>, lean: only the columns a
    /// translator of the stored JSON needs, the data as UTF-8 bytes (no deserialization, no
    /// metadata), rows handed over as they arrive. Data of an older schema version is upcast.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> ReadAllStoredAsync(GlobalCursor after, int limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = GlobalPage(connection, "tx_id, position, stream_id, event_id, type, schema_version, data, recorded_at", after, limit);
        // Sequential access: columns are read in order straight from the network buffer.
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            var txId = reader.GetFieldValue<ulong>(0);
            var position = reader.GetInt64(1);
            var streamId = reader.GetString(2);
            var eventId = reader.GetGuid(3);
            var type = reader.GetString(4);
            var schemaVersion = reader.GetInt32(5);
            var data = types.ToCurrentJson(type, schemaVersion, reader.GetFieldValue<byte[]>(6));
            yield return new StoredEvent(txId, position, streamId, eventId, type, schemaVersion, data, reader.GetFieldValue<DateTimeOffset>(7));
        }
    }

    /// <summary>The cursor of the newest readable event (Start for an empty log).</summary>
    public async Task<GlobalCursor> ReadHeadAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select tx_id, position from events
            where tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by tx_id desc, position desc limit 1
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new GlobalCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCursor.Start;
    }

    /// <summary>Waits until an event after <paramref name="after"/> is readable; false when the timeout passes first.</summary>
    public async Task<bool> WaitForNewEventsAsync(GlobalCursor after, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await HasEventsAfterAsync(after, ct)) return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            // Poll at least every 250 ms: an event can become readable without a notification
            // (when an unrelated older transaction ends).
            await notifications.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private async Task<bool> HasEventsAfterAsync(GlobalCursor after, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // A page of one: the ordered LIMIT 1 walks the (tx_id, position) index from the cursor. An
        // exists() was planned as a sequential scan, which at the head of a large log reads every row.
        await using var cmd = GlobalPage(connection, "1", after, 1);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Archives a stream: it stays readable for history and refuses further appends.</summary>
    public async Task<bool> ArchiveStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("update streams set archived = true where id = $1", connection);
        cmd.Parameters.AddWithValue(streamId);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try { return await dataSource.OpenConnectionAsync(ct); }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex)) { throw new StoreUnavailableException("The database is unavailable.", ex); }
    }

    private RecordedEvent ReadEvent(NpgsqlDataReader reader)
    {
        var type = reader.GetString(5);
        return new RecordedEvent(
            Position: reader.GetInt64(0),
            TxId: reader.GetFieldValue<ulong>(1),
            StreamId: reader.GetString(2),
            StreamVersion: reader.GetInt64(3),
            EventId: reader.GetGuid(4),
            Type: type,
            Data: types.Deserialize(type, reader.GetInt32(6), reader.GetString(7)),
            Metadata: JsonSerializer.Deserialize<EventMetadata>(reader.GetString(8), types.Json) ?? new EventMetadata(),
            RecordedAt: reader.GetFieldValue<DateTimeOffset>(9));
    }
}
