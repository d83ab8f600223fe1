using Microsoft.Extensions.DependencyInjection;
using SeriesPlatform.EventStore.Projections;

namespace SeriesPlatform.Server.Tests.History;

public static class Projections
{
    /// <summary>Waits until every historian projection has taken in everything committed so far — never a fixed sleep.</summary>
    public static Task CaughtUp(this ServerFixture server, bool rebuilds = false) =>
        server.Factory.Services.GetRequiredService<ProjectionDaemon>().WaitForCatchUpAsync(TimeSpan.FromSeconds(60), rebuilds);
}
