using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Pages;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Webhooks;

namespace SeriesPlatform.Server.Infrastructure;

public static class Setup
{
    /// <summary>The event type registry: the domain's stable names, JSON in camelCase with enums as camelCase strings.</summary>
    public static EventTypeRegistry EventTypes()
    {
        var json = EventTypeRegistry.DefaultJsonOptions();
        json.Converters.Clear();
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        var registry = new EventTypeRegistry(json);
        foreach (var (name, type) in DomainEvents.All) registry.Register(type, name);
        return registry;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration["SERIES_DATABASE"] is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException("SERIES_DATABASE is not set: give an Npgsql connection string (ops/run sets one up for you).");

    /// <summary>
    /// The connection pool. A failed statement of a batch is named on its exception, so a group
    /// commit fails only the command whose statement failed (see <see cref="Commands.CommitQueue"/>).
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.IncludeFailedBatchedCommand = true;
        return builder.Build();
    }

    public static IServiceCollection AddSeriesPlatform(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DataSource(ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(EventTypes());
        services.AddSingleton(sp => new EventNotifications(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<PostgresEventStore>();
        services.AddSingleton<Commands.CommitQueue>();
        services.AddSingleton<CommandHandler>();
        services.AddSingleton<Privacy.PersonalDataVault>();
        services.AddSingleton<Dataset.DatasetImporter>();
        services.AddFeed();
        services.AddHistory();
        services.AddWebhooks();

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // A misspelt or unknown field is an error the client should hear about, not silently dropped.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapper>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.PlatformAdmin, p => p.RequireRole(Roles.Admin).RequireAssertion(c => !c.User.HasClaim(x => x.Type == "series")))
            .AddPolicy(Policies.Historian, p => p.RequireRole(Roles.Admin, Roles.Historian))
            .AddPolicy(Policies.Integration, p => p.RequireRole(Roles.Admin, Roles.Integration));
        services.AddPages();
        services.AddOpenApi(o => o.AddOperationTransformer(OpenApiAnswers.DescribeAsync));
        return services;
    }

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await SchemaMigrator.MigrateAsync(db, [typeof(PostgresEventStore).Assembly, typeof(Setup).Assembly], ct);
        await services.GetRequiredService<EventStore.Projections.ProjectionDaemon>().InstallAsync(ct);
    }
}
