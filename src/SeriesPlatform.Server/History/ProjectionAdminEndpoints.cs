using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.History;

/// <summary>Operating the async projections: lag, rebuilds with progress, dead letters and retries (admin).</summary>
public static class ProjectionAdminEndpoints
{
    public static void MapProjectionAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/projections").WithTags("Projections").RequireAuthorization(Policies.PlatformAdmin);

        group.MapGet("/", async (ProjectionDaemon daemon, CancellationToken ct) => Results.Ok(await daemon.StatusAsync(ct)));

        group.MapPost("/{name}/rebuild", async (string name, ProjectionDaemon daemon, CancellationToken ct) =>
        {
            if (daemon.Projections.All(p => p.Name != name) && name != "all")
                throw new NotFound($"There is no projection named '{name}' (known: {string.Join(", ", daemon.Projections.Select(p => p.Name))}, or all).");
            var started = new List<object>();
            foreach (var p in daemon.Projections.Where(p => name == "all" || p.Name == name))
                started.Add(new { projection = p.Name, generation = await daemon.RebuildAsync(p.Name, ct) });
            // Accepted: the leader builds the new tables and swaps them in; progress shows in GET /api/admin/projections.
            return Results.Json(started, statusCode: 202);
        });

        group.MapGet("/dead-letters", async (string? projection, bool? resolved, ProjectionDaemon daemon, CancellationToken ct) =>
            Results.Ok(await daemon.DeadLettersAsync(projection, resolved ?? false, ct)));

        group.MapPost("/dead-letters/{id:long}/retry", async (long id, ProjectionDaemon daemon, CancellationToken ct) =>
            await daemon.RetryDeadLetterAsync(id, ct) is { } result
                ? Results.Ok(result)
                : throw new NotFound($"No open dead letter {id}."));
    }
}
