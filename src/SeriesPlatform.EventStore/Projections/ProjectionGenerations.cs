using Npgsql;
using NpgsqlTypes;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>A generation's checkpoint row.</summary>
public sealed record GenerationRow(string Projection, int Generation, string Status, GlobalCursor Cursor, long EventsProcessed,
    DateTimeOffset? LastEventAt, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// Creating, listing and swapping the generations of a projection's tables. Schema changes of one
/// projection take turns on a transaction advisory lock, so two processes installing or
/// rebuilding at once do not both create a generation.
/// </summary>
internal static class ProjectionGenerations
{
    private static async Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended('projection-schema:' || $1, 0))", c, tx);
        cmd.Parameters.AddWithValue(projection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Creates generation 1 and its views when the projection has no live generation yet.</summary>
    public static async Task EnsureInstalledAsync(NpgsqlDataSource db, IProjection projection, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, projection.Name, ct);
        if (await LoadAsync(c, tx, projection.Name, ct) is { } rows && rows.Any(r => r.Status == "live")) return;
        var generation = await NextGenerationAsync(c, tx, projection.Name, ct);
        await CreateTablesAsync(c, tx, projection, generation, ct);
        await PointViewsAsync(c, tx, projection, generation, ct);
        await InsertAsync(c, tx, projection.Name, generation, "live", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Starts a rebuild into new tables (or returns the one already running).</summary>
    public static async Task<int> RequestRebuildAsync(NpgsqlDataSource db, IProjection projection, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, projection.Name, ct);
        if ((await LoadAsync(c, tx, projection.Name, ct)).FirstOrDefault(r => r.Status == "building") is { } running) return running.Generation;
        var generation = await NextGenerationAsync(c, tx, projection.Name, ct);
        await CreateTablesAsync(c, tx, projection, generation, ct);
        await InsertAsync(c, tx, projection.Name, generation, "building", ct);
        await tx.CommitAsync(ct);
        return generation;
    }

    /// <summary>
    /// Makes a caught-up building generation live: the views now read its tables, the old tables
    /// are dropped. One transaction: readers wait for the few milliseconds of the swap, then see
    /// the new tables; they never see a half-built read model.
    /// </summary>
    public static async Task<bool> SwapAsync(NpgsqlDataSource db, IProjection projection, int building, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, projection.Name, ct);
        var rows = await LoadAsync(c, tx, projection.Name, ct);
        if (rows.FirstOrDefault(r => r.Generation == building && r.Status == "building") is null) return false;
        var live = rows.FirstOrDefault(r => r.Status == "live");
        await PointViewsAsync(c, tx, projection, building, ct);
        foreach (var (sql, generation) in new[]
                 {
                     ("update projection_generations set status = 'retired', finished_at = now(), updated_at = now() where projection = $1 and status = 'live' and generation <> $2", building),
                     ("update projection_generations set status = 'live', finished_at = now(), updated_at = now() where projection = $1 and generation = $2", building),
                 })
        {
            await using var cmd = new NpgsqlCommand(sql, c, tx);
            cmd.Parameters.AddWithValue(projection.Name);
            cmd.Parameters.AddWithValue(generation);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (live is not null)
            foreach (var table in projection.Tables)
                await ExecAsync(c, tx, $"drop table if exists {TableMap.PhysicalName(table.Name, live.Generation)} cascade", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public static async Task<List<GenerationRow>> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string? projection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select projection, generation, status, tx_id, position, events_processed, last_event_at, started_at, finished_at
            from projection_generations where ($1::text is null or projection = $1) and status <> 'retired'
            order by projection, generation
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)projection ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var rows = new List<GenerationRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new GenerationRow(reader.GetString(0), reader.GetInt32(1), reader.GetString(2),
                new GlobalCursor(reader.GetFieldValue<ulong>(3), reader.GetInt64(4)), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        return rows;
    }

    private static async Task<int> NextGenerationAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select coalesce(max(generation), 0) + 1 from projection_generations where projection = $1", c, tx);
        cmd.Parameters.AddWithValue(projection);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task CreateTablesAsync(NpgsqlConnection c, NpgsqlTransaction tx, IProjection projection, int generation, CancellationToken ct)
    {
        foreach (var table in projection.Tables)
        {
            var physical = TableMap.PhysicalName(table.Name, generation);
            // A crashed earlier attempt at this generation number may have left tables behind.
            await ExecAsync(c, tx, $"drop table if exists {physical} cascade; create table {physical} ({table.Columns})", ct);
            foreach (var index in table.Indexes) await ExecAsync(c, tx, index.Replace("{table}", physical, StringComparison.Ordinal), ct);
        }
    }

    private static async Task PointViewsAsync(NpgsqlConnection c, NpgsqlTransaction tx, IProjection projection, int generation, CancellationToken ct)
    {
        foreach (var table in projection.Tables)
            await ExecAsync(c, tx, $"drop view if exists {table.Name}; create view {table.Name} as select * from {TableMap.PhysicalName(table.Name, generation)}", ct);
    }

    private static async Task InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projection, int generation, string status, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("insert into projection_generations (projection, generation, status) values ($1, $2, $3)", c, tx);
        cmd.Parameters.AddWithValue(projection);
        cmd.Parameters.AddWithValue(generation);
        cmd.Parameters.AddWithValue(status);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
