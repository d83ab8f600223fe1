using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace SeriesPlatform.Server.Infrastructure;

/// <summary>
/// Load shedding for writes (POST, PUT, PATCH, DELETE): at most SERIES_MAX_CONCURRENT_WRITES
/// (default 64) run at once, at most SERIES_WRITE_QUEUE (default 256) wait, oldest first, each for
/// at most SERIES_WRITE_QUEUE_TIMEOUT_MS (default 10 s). Beyond that the answer is an immediate 503
/// with Retry-After, instead of an unbounded queue of requests holding memory and database
/// connections while their clients have long given up. Reads, health and pages are not limited here.
/// Runs first in the pipeline (a startup filter), so a shed request costs almost nothing.
/// </summary>
public static class WriteLimits
{
    public static IServiceCollection AddWriteLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("SERIES_MAX_CONCURRENT_WRITES", 64)),
            QueueLimit = Math.Max(0, configuration.GetValue("SERIES_WRITE_QUEUE", 256)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var queueTimeout = TimeSpan.FromMilliseconds(Math.Max(1, configuration.GetValue("SERIES_WRITE_QUEUE_TIMEOUT_MS", 10_000)));
        return services.AddSingleton<IStartupFilter>(new Filter(limiter, queueTimeout));
    }

    private sealed class Filter(ConcurrencyLimiter limiter, TimeSpan queueTimeout) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
                    || !http.Request.Path.StartsWithSegments("/api"))
                {
                    await nextMiddleware(http);
                    return;
                }
                // A free permit is taken at once; only a wait needs its own timeout.
                var lease = limiter.AttemptAcquire(1);
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                    wait.CancelAfter(queueTimeout);
                    try { lease = await limiter.AcquireAsync(1, wait.Token); }
                    catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                    {
                        await ShedAsync(http, "The server is saturated (the write queue did not move in time); retry shortly.");
                        return;
                    }
                }
                using (lease)
                {
                    if (!lease.IsAcquired)
                    {
                        await ShedAsync(http, "The server is saturated (the write queue is full); retry shortly.");
                        return;
                    }
                    await nextMiddleware(http);
                }
            });
            next(app);
        };
    }

    private static async Task ShedAsync(HttpContext http, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "1";
        await http.Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = 503, Type = ProblemMapper.TypeBase + "overloaded", Title = "Too busy.", Detail = detail, Instance = http.Request.Path,
        }, options: null, contentType: "application/problem+json", cancellationToken: http.RequestAborted);
    }
}
