using System.Buffers;
using System.Text;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Server-Sent Events over the public feed. Each message is <c>id: cursor</c>, <c>event: type</c>,
/// <c>data: CloudEvent JSON</c>; a client that reconnects with <c>Last-Event-ID</c> (browsers do it
/// themselves) or <c>?after=</c> resumes exactly after that event. Without either it starts at the
/// current head (only new events); <c>after=0-0</c> replays everything. A comment line every
/// heartbeat interval keeps proxies from closing an idle connection.
/// </summary>
public static class LiveStream
{
    private const int PageSize = 500;

    public static async Task RunAsync(HttpContext http, FeedReader reader, PostgresEventStore store, IConfiguration configuration, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        var cursor = !string.IsNullOrEmpty(lastEventId)
            ? FeedEndpoints.ParseCursor(lastEventId, "Last-Event-ID", errors)
            : FeedEndpoints.ParseCursor(http.Request.Query["after"].ToString(), "after", errors);
        var filter = FeedFilter.Parse(http.Request.Query, errors).For(http.User);
        LocalTimes.ThrowIfAny(errors);
        var position = cursor ?? await store.ReadHeadAsync(ct);
        var heartbeat = TimeSpan.FromSeconds(configuration.GetValue("SERIES_FEED_HEARTBEAT_SECONDS", 15.0));

        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        var body = http.Response.BodyWriter;
        await body.WriteAsync(Encoding.ASCII.GetBytes($"retry: 2000\n: stream from {position}\n\n"), ct);
        await body.FlushAsync(ct);

        var lastWrite = DateTime.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var untilHeartbeat = lastWrite + heartbeat - DateTime.UtcNow;
                using var page = await reader.ReadOrWaitAsync(position, PageSize, filter, untilHeartbeat > TimeSpan.Zero ? untilHeartbeat : TimeSpan.Zero, ct);
                foreach (var entry in page.Entries)
                {
                    body.Write(Encoding.UTF8.GetBytes($"id: {entry.Cursor}\nevent: {entry.Type}\ndata: "));
                    body.Write(entry.Json.Span); // compact JSON: one line, as SSE requires
                    body.Write("\n\n"u8);
                }
                position = page.Next;
                if (page.Entries.Count == 0 && DateTime.UtcNow - lastWrite < heartbeat) continue;
                if (page.Entries.Count == 0) body.Write(": heartbeat\n\n"u8);
                await body.FlushAsync(ct);
                lastWrite = DateTime.UtcNow;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
    }
}
