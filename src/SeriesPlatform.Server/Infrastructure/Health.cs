using Npgsql;

namespace SeriesPlatform.Server.Infrastructure;

public static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        // Ready = the database answers. Not ready is a 503, so load balancers stop sending traffic.
        app.MapGet("/health/ready", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await using var cmd = db.CreateCommand("select 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                return Results.Ok(new { status = "ready", database = "ok" });
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return Results.Json(new { status = "not-ready", database = "unavailable" }, statusCode: 503);
            }
        }).WithTags("Health").AllowAnonymous();
    }
}
