using Npgsql;
using SeriesPlatform.EventStore.Projections;

namespace SeriesPlatform.Server.Infrastructure;

public static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        // Ready = the database answers. Not ready is a 503, so load balancers stop sending traffic.
        // Lagging projections are reported but do not make the process unready: reads still answer.
        app.MapGet("/health/ready", async (NpgsqlDataSource db, ProjectionDaemon projections, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await using var cmd = db.CreateCommand("select 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                var lag = (await projections.StatusAsync(timeout.Token)).Select(p => new
                {
                    projection = p.Projection, p.Status, p.Generation, p.EventsBehind, p.SecondsBehind, p.OpenDeadLetters, p.Progress, p.LeaderHere,
                });
                var blocking = await BlockingSessionAsync(db, timeout.Token);
                string[]? warnings = blocking is null ? null :
                [
                    $"{blocking.HeldBack} committed event(s) are held back by an open transaction: pid {blocking.Pid} " +
                    $"(application_name '{blocking.ApplicationName}', {blocking.State}, open since {blocking.XactStart:O}, {blocking.Seconds:0} s). " +
                    "The feed, webhooks and projections wait for it (they never skip an event); end or cancel that transaction to let them move on.",
                ];
                return Results.Ok(new { status = "ready", database = "ok", projections = lag, blockingSession = blocking, warnings });
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return Results.Json(new { status = "not-ready", database = "unavailable" }, statusCode: 503);
            }
        }).WithTags("Health").AllowAnonymous();
    }

    /// <summary>A session whose open transaction holds back committed events from the readers.</summary>
    public sealed record BlockingSession(int Pid, string ApplicationName, string? State, DateTimeOffset XactStart, double Seconds, long HeldBack);

    /// <summary>
    /// Readers only see events below the oldest open transaction id (pg_snapshot_xmin), so one
    /// transaction left open holds back everything committed after it began. When committed events
    /// are held back, this names the oldest session holding a transaction id in this database that
    /// has been open for more than <paramref name="minimumAge"/> (default 2 s, shorter ones are ordinary).
    /// </summary>
    public static async Task<BlockingSession?> BlockingSessionAsync(NpgsqlDataSource db, CancellationToken ct, TimeSpan? minimumAge = null)
    {
        await using var cmd = db.CreateCommand("""
            with held as (
                select count(*) as n from (select 1 from events where tx_id >= pg_snapshot_xmin(pg_current_snapshot()) limit 100000) h)
            select a.pid, coalesce(a.application_name, ''), a.state, a.xact_start, extract(epoch from now() - a.xact_start)::float8, held.n
            from pg_stat_activity a, held
            where held.n > 0 and a.datname = current_database() and a.backend_xid is not null and a.pid <> pg_backend_pid()
              and a.xact_start < now() - make_interval(secs => $1)
            order by a.xact_start
            limit 1
            """);
        cmd.Parameters.AddWithValue((minimumAge ?? TimeSpan.FromSeconds(2)).TotalSeconds);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new BlockingSession(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3), Math.Round(reader.GetDouble(4), 1), reader.GetInt64(5));
    }
}
