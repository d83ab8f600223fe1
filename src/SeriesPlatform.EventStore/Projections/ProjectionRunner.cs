using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SeriesPlatform.EventStore.Projections;

/// <summary>
/// Runs one projection in this process while it holds the projection's leader lock: a session
/// advisory lock on a connection kept open (and otherwise idle) for that purpose. When the process
/// dies, PostgreSQL drops the session and its lock, and a runner elsewhere takes over at its next
/// try. The lock only decides who works; correctness comes from the checkpoint compare-and-set,
/// so a runner that has lost its lock without noticing yet cannot advance the checkpoint twice.
/// </summary>
internal sealed class ProjectionRunner(IProjection projection, NpgsqlDataSource db, SharedTail log, PostgresEventStore store,
    ProjectionOptions options, ILogger logger, Action progressed)
{
    private readonly ConcurrentDictionary<int, TableMap> _maps = new();
    private volatile bool _leader;

    public bool IsLeader => _leader;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            NpgsqlConnection? lockConnection = null;
            try
            {
                lockConnection = await db.OpenConnectionAsync(stop);
                while (!await LockAsync(lockConnection, "pg_try_advisory_lock", stop))
                    await Task.Delay(options.LeaderPollInterval, stop);
                _leader = true;
                logger.LogInformation("Projection {Projection}: this process leads it now", projection.Name);
                await LeadAsync(lockConnection, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Projection {Projection}: runner failed; retrying", projection.Name);
                try { await Task.Delay(options.RetryDelay, stop); } catch (OperationCanceledException) { }
            }
            finally
            {
                _leader = false;
                if (lockConnection is not null)
                {
                    // Give the lock back before the connection returns to the pool (a broken one is discarded anyway).
                    try { if (lockConnection.State == System.Data.ConnectionState.Open) await LockAsync(lockConnection, "pg_advisory_unlock", CancellationToken.None); }
                    catch (Exception) { /* the session is gone, and its lock with it */ }
                    await lockConnection.DisposeAsync();
                }
            }
        }
    }

    private async Task<bool> LockAsync(NpgsqlConnection c, string function, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {function}(hashtextextended('projection-leader:' || $1, 0))", c);
        cmd.Parameters.AddWithValue(projection.Name);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task LeadAsync(NpgsqlConnection lockConnection, CancellationToken stop)
    {
        var checkedAt = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            if (DateTime.UtcNow - checkedAt >= options.LeaseCheckInterval)
            {
                // Throws when the session (and so the lock) is gone: we step down and compete again.
                await using (var ping = new NpgsqlCommand("select 1", lockConnection)) await ping.ExecuteScalarAsync(stop);
                checkedAt = DateTime.UtcNow;
            }
            List<GenerationRow> generations;
            await using (var c = await db.OpenConnectionAsync(stop))
                generations = await ProjectionGenerations.LoadAsync(c, null, projection.Name, stop);

            var progress = false;
            var allCaughtUp = true;
            foreach (var generation in generations)
            {
                var (moved, caughtUp) = await ProcessBatchAsync(generation, stop);
                progress |= moved;
                allCaughtUp &= caughtUp;
                if (generation.Status == "building" && caughtUp)
                {
                    if (await ProjectionGenerations.SwapAsync(db, projection, generation.Generation, stop))
                        logger.LogInformation("Projection {Projection}: rebuilt generation {Generation} is live", projection.Name, generation.Generation);
                    progressed();
                    progress = true;
                }
            }
            if (!progress && generations.Count > 0)
                await store.WaitForNewEventsAsync(generations.Min(g => g.Cursor), options.IdleWait, stop);
            else if (progress && allCaughtUp && options.CoalesceDelay > TimeSpan.Zero)
                await Task.Delay(options.CoalesceDelay, stop);
            else if (generations.Count == 0)
                await Task.Delay(options.IdleWait, stop); // not installed yet (another process is migrating)
        }
    }

    /// <summary>One page for one generation. Caught up = the generation is at the head of the log (it may wait for more).</summary>
    private async Task<(bool Moved, bool CaughtUp)> ProcessBatchAsync(GenerationRow generation, CancellationToken ct)
    {
        var page = await log.ReadPageAsync(generation.Cursor, projection.EventTypes, options.BatchSize, ct);
        var to = page.Reach(generation.Cursor, options.BatchSize);
        if (page.Events.Count == 0 && to <= generation.Cursor) return (false, page.AtHead);
        var map = _maps.GetOrAdd(generation.Generation, g => new TableMap(projection, g));
        // A lost compare-and-set means another runner moved the checkpoint: reload and go on.
        if (!await ProjectionApplier.ApplyAsync(db, projection, map, generation, page.Events, to, ct)) return (true, false);
        progressed();
        return (true, page.AtHead);
    }

}
