using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace SeriesPlatform.Server.Infrastructure;

/// <summary>
/// A token bucket per API key, or per client address for anonymous callers, so one noisy client
/// cannot starve the others. Over the limit: 429 with Retry-After. Health checks are never limited,
/// so orchestrators can still see the server while it sheds load.
/// Settings: SERIES_RATE_LIMIT (requests per second, default 200) and SERIES_RATE_BURST (default twice that).
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddSeriesRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perSecond = Math.Max(1, configuration.GetValue("SERIES_RATE_LIMIT", 200));
        var burst = Math.Max(1, configuration.GetValue("SERIES_RATE_BURST", perSecond * 2));
        services.AddWriteLimits(configuration); // and a bounded queue for writes whatever the callers' rates
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
                var caller = http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } key
                    ? "key:" + key
                    : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await http.Response.WriteAsJsonAsync(new ProblemDetails
                {
                    Status = 429, Type = ProblemMapper.TypeBase + "rate-limited", Title = "Too many requests.",
                    Detail = $"Slow down; retry after {retryAfter} s.", Instance = http.Request.Path,
                }, options: null, contentType: "application/problem+json", cancellationToken: ct);
            };
        });
    }
}
