using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SeriesPlatform.Server.Tests.Integrations;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port): records every request as it arrives, then
/// answers as the test says. Tests never send traffic anywhere else.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    public sealed record Hit(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTime At);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Hit> _hits = new();

    /// <summary>How to answer the n-th request (1-based) on a path; default 200.</summary>
    public Func<string, int, HttpContext, Task>? Respond { get; set; }

    public string Url { get; }

    private Receiver(WebApplication app, string url) { _app = app; Url = url; }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Receiver? self = null;
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = http.Request.Path.Value ?? "/";
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            self!._hits.Enqueue(new Hit(path, headers, body, DateTime.UtcNow));
            var n = self._hits.Count(h => h.Path == path);
            if (self.Respond is { } respond) await respond(path, n, http);
            else http.Response.StatusCode = 200;
        });
        await app.StartAsync();
        self = new Receiver(app, app.Urls.First().TrimEnd('/'));
        return self;
    }

    public IReadOnlyList<Hit> Hits(string path) => _hits.Where(h => h.Path == path).ToList();

    public Task<IReadOnlyList<Hit>> WaitFor(string path, int count, double seconds = 20) =>
        Eventually.Until(() => Task.FromResult(Hits(path)), h => h.Count >= count, $"{count} deliveries to {path}", seconds);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
