using Npgsql;
using NpgsqlTypes;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>
/// Writes one batch: the projection's rows, its dead letters and its new checkpoint in one
/// transaction. The checkpoint row is locked first and must still hold the cursor the batch was
/// read from (compare-and-set): a second runner that read the same cursor finds it moved and
/// writes nothing.
/// </summary>
internal static class ProjectionApplier
{
    public static async Task<bool> ApplyAsync(NpgsqlDataSource db, IProjection projection, TableMap map, GenerationRow from,
        IReadOnlyList<RecordedEvent> events, GlobalCursor to, CancellationToken ct)
    {
        try
        {
            return await ApplyAsync(db, projection, map, from, events, to, oneByOne: false, ct);
        }
        catch (PostgresException ex) when (!ex.IsTransient && events.Count > 0)
        {
            // Some event's SQL failed and took the whole batch with it. Replay the batch with a
            // savepoint per event, so only the failing event goes to the dead letters.
            return await ApplyAsync(db, projection, map, from, events, to, oneByOne: true, ct);
        }
    }

    private static async Task<bool> ApplyAsync(NpgsqlDataSource db, IProjection projection, TableMap map, GenerationRow from,
        IReadOnlyList<RecordedEvent> events, GlobalCursor to, bool oneByOne, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (!await ClaimAsync(c, tx, from, ct)) return false;

        var failed = new List<(RecordedEvent Event, string Error)>();
        var batch = new ProjectionBatch(map);
        foreach (var e in events)
        {
            batch.Mark();
            if (oneByOne) await tx.SaveAsync("event", ct);
            try
            {
                Apply(projection, e, batch);
                if (oneByOne) await batch.FlushAsync(c, tx, ct);
            }
            catch (Exception ex) when (IsEventFailure(ex))
            {
                if (oneByOne) await tx.RollbackAsync("event", ct);
                else batch.UndoToMark();
                failed.Add((e, Describe(ex)));
            }
        }
        if (!oneByOne) await batch.FlushAsync(c, tx, ct);

        await using var write = new NpgsqlBatch(c, tx);
        foreach (var (e, error) in failed) write.BatchCommands.Add(DeadLetter(projection.Name, map.Generation, e, error));
        write.BatchCommands.Add(new NpgsqlBatchCommand("""
            update projection_generations set tx_id = $3, position = $4, events_processed = events_processed + $5,
                   last_event_at = coalesce($6, last_event_at), updated_at = now()
            where projection = $1 and generation = $2
            """)
        {
            Parameters =
            {
                new() { Value = projection.Name }, new() { Value = map.Generation },
                new() { Value = to.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 }, new() { Value = to.Position },
                new() { Value = (long)events.Count },
                new() { Value = events.Count > 0 ? events[^1].RecordedAt : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        });
        await write.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>One event through the projection; unreadable bodies are failures of their own.</summary>
    public static void Apply(IProjection projection, RecordedEvent e, ProjectionBatch batch)
    {
        if (e.Data is UnreadableEvent unreadable) throw new InvalidDataException($"The event body cannot be read as '{e.Type}': {unreadable.Error}");
        projection.Apply(e, batch);
    }

    /// <summary>The event's fault (its data or its SQL), as opposed to the database or the caller going away.</summary>
    public static bool IsEventFailure(Exception ex) => ex switch
    {
        OperationCanceledException => false,
        PostgresException pg => !pg.IsTransient,
        NpgsqlException => false,
        _ => true,
    };

    public static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private static async Task<bool> ClaimAsync(NpgsqlConnection c, NpgsqlTransaction tx, GenerationRow from, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select 1 from projection_generations
            where projection = $1 and generation = $2 and status <> 'retired' and tx_id = $3 and position = $4
            for update
            """, c, tx);
        cmd.Parameters.AddWithValue(from.Projection);
        cmd.Parameters.AddWithValue(from.Generation);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from.Cursor.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        cmd.Parameters.AddWithValue(from.Cursor.Position);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private static NpgsqlBatchCommand DeadLetter(string projection, int generation, RecordedEvent e, string error) => new("""
        insert into projection_dead_letters (projection, generation, position, tx_id, event_id, stream_id, type, error)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        """)
    {
        Parameters =
        {
            new() { Value = projection }, new() { Value = generation }, new() { Value = e.Position },
            new() { Value = e.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 }, new() { Value = e.EventId }, new() { Value = e.StreamId },
            new() { Value = e.Type }, new() { Value = error },
        },
    };
}
