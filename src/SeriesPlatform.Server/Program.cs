using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Breakouts;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Exports;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Pages;
using SeriesPlatform.Server.Posters;
using SeriesPlatform.Server.Privacy;
using SeriesPlatform.Server.Registration;
using SeriesPlatform.Server.Series;
using SeriesPlatform.Server.Talks;
using SeriesPlatform.Server.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSeriesPlatform();
builder.Services.AddSeriesRateLimits(builder.Configuration);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

var app = builder.Build();
await app.Services.MigrateAsync();

app.UseExceptionHandler();
app.UseBodyLimit();
app.UseStatusCodePages();
app.UsePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseSeriesScope();
app.UseRateLimiter();

app.MapOpenApi();
app.MapHealth();
app.MapKeys();
app.MapSeries();
app.MapEditions();
app.MapTalks();
app.MapPosters();
app.MapBreakouts();
app.MapRegistrations();
app.MapExports();
app.MapPages();
app.MapPrivacy();
app.MapFeed();
app.MapHistory();
app.MapWebhooks();

app.Run();

/// <summary>The host, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
