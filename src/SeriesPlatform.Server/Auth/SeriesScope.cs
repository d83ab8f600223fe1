using Microsoft.AspNetCore.Authorization;
using Npgsql;

namespace SeriesPlatform.Server.Auth;

/// <summary>
/// An admin key limited to one series is refused (403) on the non-public endpoints and the admin
/// pages of any other series (its commands, attendees, audit history) before the request is read
/// further, so it learns nothing about them, not even validation errors. Public reads stay public.
/// The command workflow checks again on the loaded state, for creates that name their series only
/// in the body.
/// </summary>
public static class SeriesScope
{
    public static IApplicationBuilder UseSeriesScope(this IApplicationBuilder app) => app.Use((http, next) =>
        http.User.FindFirst("series")?.Value is { } only && http.GetEndpoint() is { } endpoint && NeedsKey(endpoint)
            ? CheckAsync(http, next, only)
            : next(http));

    private static async Task CheckAsync(HttpContext http, RequestDelegate next, string only)
    {
        if (await SeriesOfRouteAsync(http) is { } series && series != only)
            throw new Forbidden($"This key may only manage the series '{only}'.");
        await next(http);
    }

    // Any authorization requirement (admin, historian, admin pages): what anyone may read is not limited.
    private static bool NeedsKey(Endpoint endpoint) => endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;

    /// <summary>The series a route names: {slug} directly, or the series of edition {id}. Null when it names none or it is unknown.</summary>
    private static async Task<string?> SeriesOfRouteAsync(HttpContext http)
    {
        var values = http.Request.RouteValues;
        var path = http.Request.Path;
        if (values.TryGetValue("slug", out var slug) && slug is string s && (path.StartsWithSegments("/api/series") || path.StartsWithSegments("/admin/series")))
            return s;
        if (values.TryGetValue("id", out var id) && Guid.TryParse(id?.ToString(), out var edition)
            && (path.StartsWithSegments("/api/editions") || path.StartsWithSegments("/admin/editions")))
        {
            var db = http.RequestServices.GetRequiredService<NpgsqlDataSource>();
            await using var cmd = db.CreateCommand("select series_slug from edition_catalog where id = $1");
            cmd.Parameters.AddWithValue(edition);
            return await cmd.ExecuteScalarAsync(http.RequestAborted) as string;
        }
        return null;
    }
}
