using System.Globalization;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// <c>GET /api/feed</c>: a page of CloudEvents after a cursor, optionally long-polling at the head.
/// <c>GET /api/feed/live</c>: the same events as Server-Sent Events (see <see cref="LiveStream"/>).
/// </summary>
public static class FeedEndpoints
{
    public const string CursorHeader = "Feed-Cursor";
    public const int MaxWaitSeconds = 60;

    public static IServiceCollection AddFeed(this IServiceCollection services) =>
        services.AddSingleton<EditionDirectory>().AddSingleton<FeedReader>().AddSingleton<FeedReadAhead>();

    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/feed").WithTags("Integrations").RequireAuthorization(Policies.Integration);
        feed.MapGet("/", ReadPage);
        feed.MapGet("/live", LiveStream.RunAsync);
    }

    private static async Task ReadPage(HttpContext http, FeedReadAhead reader, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = http.Request.Query;
        var after = ParseCursor(query["after"].ToString(), "after", errors) ?? GlobalCursor.Start;
        var limit = ParseInt(query["limit"].ToString(), "limit", 1, FeedReader.MaxLimit, 100, errors);
        var wait = ParseInt(query["wait"].ToString(), "wait", 0, MaxWaitSeconds, 0, errors);
        var filter = FeedFilter.Parse(query, errors).For(http.User);
        LocalTimes.ThrowIfAny(errors);

        // Long poll: only an empty page at the head waits, and it answers as soon as a matching event is readable.
        using var page = await reader.ReadOrWaitAsync(after, limit, filter, TimeSpan.FromSeconds(wait), ct);

        var next = page.Next.ToString();
        http.Response.Headers[CursorHeader] = next;
        http.Response.Headers.Link = $"</api/feed?{NextQuery(http, next)}>; rel=\"next\"";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = CloudEvents.BatchContentType;
        // The page is complete before the first byte is sent (the cursor header comes first), so its length is known.
        http.Response.ContentLength = page.Batch.Length;
        await http.Response.BodyWriter.WriteAsync(page.Batch, ct);
    }

    private static string NextQuery(HttpContext http, string next)
    {
        var parts = http.Request.Query.Where(q => q.Key != "after")
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Prepend($"after={next}");
        return string.Join('&', parts);
    }

    public static GlobalCursor? ParseCursor(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (GlobalCursor.TryParse(text, out var cursor)) return cursor;
        errors[field] = [$"'{field}' must be a cursor this API returned (the 'cursor' of an event or the {CursorHeader} header)."];
        return null;
    }

    public static int ParseInt(string? text, string field, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[field] = [$"'{field}' must be a whole number from {min} to {max}."];
        return fallback;
    }
}
