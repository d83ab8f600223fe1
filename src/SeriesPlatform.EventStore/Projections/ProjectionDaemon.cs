using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>How far a projection's generation is behind the head of the log.</summary>
public sealed record ProjectionStatus(string Projection, int Generation, string Status, bool LeaderHere, string Checkpoint,
    long EventsProcessed, long EventsBehind, double SecondsBehind, DateTimeOffset? LastEventAt, double? Progress, int OpenDeadLetters);

public sealed record DeadLetter(long Id, string Projection, int Generation, long Position, Guid EventId, string StreamId, string Type,
    string Error, int Attempts, DateTimeOffset FailedAt, DateTimeOffset? ResolvedAt);

public sealed record DeadLetterRetry(long Id, bool Resolved, string? Error);

/// <summary>
/// The async projection daemon: one runner per projection (each runs in exactly one process at a
/// time, see <see cref="ProjectionRunner"/>), plus what operators need: lag, rebuilds into new
/// tables, dead letters and their retry, and a wait-until-caught-up for tests and tools.
/// </summary>
public sealed class ProjectionDaemon : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db;
    private readonly PostgresEventStore _store;
    private readonly ProjectionLog _log;
    private readonly SharedTail _tail;
    private readonly ProjectionOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ProjectionRunner> _runners = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private Task[] _running = [];

    public ProjectionDaemon(PostgresEventStore store, IEnumerable<IProjection> projections, ProjectionOptions? options = null, ILogger<ProjectionDaemon>? logger = null)
    {
        _store = store;
        _db = store.DataSource;
        _log = new ProjectionLog(_db, store.Types);
        _options = options ?? new ProjectionOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Projections = projections.ToList();
        var types = Projections.Any(p => p.EventTypes is null) ? null : Projections.SelectMany(p => p.EventTypes!).Distinct(StringComparer.Ordinal).ToArray();
        _tail = new SharedTail(_log, types, capacity: 4 * _options.BatchSize);
        foreach (var p in Projections)
        {
            if (_runners.ContainsKey(p.Name)) throw new InvalidOperationException($"Two projections are named '{p.Name}'.");
            _runners[p.Name] = new ProjectionRunner(p, _db, _tail, store, _options, _logger, Pulse);
        }
    }

    public IReadOnlyList<IProjection> Projections { get; }

    public IProjection Get(string name) =>
        Projections.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"There is no projection named '{name}'.");

    public bool IsLeader(string projection) => _runners.TryGetValue(projection, out var r) && r.IsLeader;

    /// <summary>Creates the first generation of every projection that has none (idempotent, safe from several processes).</summary>
    public async Task InstallAsync(CancellationToken ct = default)
    {
        foreach (var p in Projections) await ProjectionGenerations.EnsureInstalledAsync(_db, p, ct);
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await InstallAsync(ct);
        lock (_gate)
        {
            if (_stop is not null) return;
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _running = _runners.Values.Select(r => Task.Run(() => r.RunAsync(stop), CancellationToken.None)).ToArray();
        }
    }

    /// <summary>Stops the runners here and releases their locks; other processes take over.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task[] running;
        lock (_gate) { (stop, running, _stop, _running) = (_stop, _running, null, []); }
        if (stop is null) return;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        stop.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Starts rebuilding a projection into new tables; the leader swaps them in once caught up.</summary>
    public Task<int> RebuildAsync(string projection, CancellationToken ct = default) =>
        ProjectionGenerations.RequestRebuildAsync(_db, Get(projection), ct);

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct = default)
    {
        await using var c = await _db.OpenConnectionAsync(ct);
        var rows = await ProjectionGenerations.LoadAsync(c, null, null, ct);
        var head = await LastCommittedAsync(c, ct);
        var result = new List<ProjectionStatus>();
        foreach (var row in rows.Where(r => Projections.Any(p => p.Name == r.Projection)))
        {
            // Behind = committed events after the checkpoint (readable or still held back by an older open
            // transaction); seconds = age of the oldest of them (0 when caught up). Counting stops at
            // a million: past that the exact number says nothing more.
            await using var cmd = new NpgsqlCommand("""
                select (select count(*) from (select 1 from events where (tx_id, position) > ($1, $2) limit 1000000) b),
                       (select extract(epoch from now() - recorded_at)::float8 from events where (tx_id, position) > ($1, $2)
                          order by tx_id, position limit 1),
                       (select count(*)::int from projection_dead_letters where projection = $3 and generation = $4 and resolved_at is null)
                """, c);
            cmd.Parameters.Add(new NpgsqlParameter { Value = row.Cursor.TxId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            cmd.Parameters.AddWithValue(row.Cursor.Position);
            cmd.Parameters.AddWithValue(row.Projection);
            cmd.Parameters.AddWithValue(row.Generation);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var behind = reader.GetInt64(0);
            var seconds = reader.IsDBNull(1) ? 0 : Math.Max(0, reader.GetDouble(1));
            var deadLetters = reader.GetInt32(2);
            // A rebuild's progress: how far its checkpoint is through the log's positions.
            double? progress = row.Status == "building"
                ? head.Position == 0 ? 1 : Math.Min(1, (double)row.Cursor.Position / head.Position)
                : null;
            result.Add(new ProjectionStatus(row.Projection, row.Generation, row.Status, IsLeader(row.Projection), row.Cursor.ToString(),
                row.EventsProcessed, behind, Math.Round(seconds, 3), row.LastEventAt, progress, deadLetters));
        }
        return result;
    }

    /// <summary>The newest committed event, readable or not yet (an older transaction may still hold it back).</summary>
    private static async Task<GlobalCursor> LastCommittedAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select tx_id, position from events order by tx_id desc, position desc limit 1", c);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new GlobalCursor(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalCursor.Start;
    }

    /// <summary>
    /// Waits until the live generation of every projection has taken in every event committed
    /// before the call (or, with <paramref name="rebuilds"/>, until no rebuild is running either).
    /// Wakes on local progress and checks the database at least every 100 ms, for runners in other
    /// processes. Tests use this instead of sleeping.
    /// </summary>
    public async Task WaitForCatchUpAsync(TimeSpan timeout, bool rebuilds = false, CancellationToken ct = default)
    {
        GlobalCursor head;
        await using (var c = await _db.OpenConnectionAsync(ct)) head = await LastCommittedAsync(c, ct);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task signal;
            lock (_gate) signal = _progress.Task;
            List<GenerationRow> rows;
            await using (var c = await _db.OpenConnectionAsync(ct)) rows = await ProjectionGenerations.LoadAsync(c, null, null, ct);
            var lagging = Projections.Where(p =>
                !rows.Any(r => r.Projection == p.Name && r.Status == "live" && r.Cursor >= head)
                || (rebuilds && rows.Any(r => r.Projection == p.Name && r.Status == "building"))).Select(p => p.Name).ToList();
            if (lagging.Count == 0) return;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"Projections not at the head ({head}) after {timeout}: {string.Join(", ", lagging)}.");
            try { await signal.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100), ct); }
            catch (TimeoutException) { }
        }
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string? projection = null, bool includeResolved = false, CancellationToken ct = default)
    {
        await using var c = await _db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select d.id, d.projection, d.generation, d.position, d.event_id, d.stream_id, d.type, d.error, d.attempts, d.failed_at, d.resolved_at
            from projection_dead_letters d
            join projection_generations g on g.projection = d.projection and g.generation = d.generation and g.status <> 'retired'
            where ($1::text is null or d.projection = $1) and ($2 or d.resolved_at is null)
            order by d.id limit 1000
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)projection ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(includeResolved);
        var list = new List<DeadLetter>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new DeadLetter(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetGuid(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        return list;
    }

    /// <summary>Applies a dead-lettered event again (after a fix); null when there is no such open dead letter.</summary>
    public async Task<DeadLetterRetry?> RetryDeadLetterAsync(long id, CancellationToken ct = default)
    {
        var letter = (await DeadLettersAsync(null, false, ct)).FirstOrDefault(d => d.Id == id);
        if (letter is null || Projections.FirstOrDefault(p => p.Name == letter.Projection) is not { } projection) return null;
        var e = await _log.ReadAtAsync(letter.Position, ct);
        string? error = null;
        await using var c = await _db.OpenConnectionAsync(ct);
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            try
            {
                if (e is null) throw new InvalidOperationException($"Event at position {letter.Position} is no longer in the log.");
                var batch = new ProjectionBatch(new TableMap(projection, letter.Generation));
                ProjectionApplier.Apply(projection, e, batch);
                await batch.FlushAsync(c, tx, ct);
                await using var resolve = new NpgsqlCommand("update projection_dead_letters set resolved_at = now(), attempts = attempts + 1 where id = $1", c, tx);
                resolve.Parameters.AddWithValue(id);
                await resolve.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (Exception ex) when (ProjectionApplier.IsEventFailure(ex))
            {
                await tx.RollbackAsync(ct);
                error = ProjectionApplier.Describe(ex);
            }
        }
        if (error is null) { Pulse(); return new DeadLetterRetry(id, true, null); }
        await using var record = new NpgsqlCommand("update projection_dead_letters set attempts = attempts + 1, error = $2, failed_at = now() where id = $1", c);
        record.Parameters.AddWithValue(id);
        record.Parameters.AddWithValue(error);
        await record.ExecuteNonQueryAsync(ct);
        return new DeadLetterRetry(id, false, error);
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_gate) { previous = _progress; _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); }
        previous.TrySetResult();
    }
}
