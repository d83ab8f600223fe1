using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;

namespace SeriesPlatform.Server.History;

/// <summary>Registers the historian projections, the daemon that runs them, and their endpoints.</summary>
public static class HistorySetup
{
    /// <summary>The historian projections (the CLI's rebuild uses the same list).</summary>
    public static IReadOnlyList<IProjection> Projections() => [new CatalogProjection(), new PeopleProjection(), new SearchProjection()];

    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ProjectionDaemon(sp.GetRequiredService<PostgresEventStore>(), Projections(),
            new ProjectionOptions(), sp.GetRequiredService<ILogger<ProjectionDaemon>>()));
        services.AddHostedService<ProjectionDaemonService>();
        return services;
    }

    public static void MapHistory(this IEndpointRouteBuilder app)
    {
        app.MapCatalog();
        app.MapSearch();
        app.MapPeople();
        app.MapStats();
        app.MapAudit();
        app.MapReleases();
        app.MapProjectionAdmin();
    }
}

/// <summary>Runs the daemon with the host: every server process competes for every projection.</summary>
internal sealed class ProjectionDaemonService(ProjectionDaemon daemon) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => daemon.StartAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => daemon.StopAsync();
}
