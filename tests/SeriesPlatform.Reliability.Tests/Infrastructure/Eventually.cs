using System.Diagnostics;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>Polls a condition (every 100 ms) until it holds or a bounded wait runs out; never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var stopwatch = Stopwatch.StartNew();
        T last = default!;
        Exception? error = null;
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                last = await read();
                error = null;
                if (done(last)) return last;
            }
            catch (InvalidOperationException) { throw; }
            catch (Exception ex) { error = ex; }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; last value: {last}{(error is null ? "" : $"; last error: {error.Message}")}"
                                   + (context is null ? "" : "\n" + context()));
    }

    /// <summary>How long a condition took to hold (bounded).</summary>
    public static async Task<TimeSpan> Time(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var stopwatch = Stopwatch.StartNew();
        await Until(condition, ok => ok, what, timeout, context);
        return stopwatch.Elapsed;
    }
}
