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
                    projection = p.Projection, p.Status, p.Generation, p.EventsBehind, p.SecondsBehind, p.OpenDeadLetters, p.Progress,
                });
                return Results.Ok(new { status = "ready", database = "ok", projections = lag });
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return Results.Json(new { status = "not-ready", database = "unavailable" }, statusCode: 503);
            }
        }).WithTags("Health").AllowAnonymous();
    }
}
