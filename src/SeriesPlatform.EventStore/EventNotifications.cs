using Npgsql;

namespace SeriesPlatform.EventStore;

/// <summary>
/// Wakes waiting readers. Appends call <see cref="Appended"/>: readers in this process wake at once,
/// and other processes hear a NOTIFY sent by one background sender that coalesces bursts. NOTIFY is
/// kept out of the append transaction on purpose: PostgreSQL serializes the commits of notifying
/// transactions, which would cap concurrent append throughput.
/// One LISTEN connection per process that turns <c>pg_notify</c> from appends into a signal that
/// any number of waiting readers can await. Readers still poll now and then: a notification says
/// "something was appended", but the event only becomes readable once every older transaction has
/// ended, which nobody announces.
/// </summary>
public sealed class EventNotifications : IAsyncDisposable
{
    public const string Channel = "series_events";
    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource _signal = NewSignal();
    private Task? _loop;

    public EventNotifications(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    private static readonly TimeSpan MinimumNotifyInterval = TimeSpan.FromMilliseconds(10);
    private int _sendRequested;
    private int _sending;

    /// <summary>Something was committed: wake local readers now and tell other processes soon.</summary>
    public void Appended()
    {
        EnsureStarted();
        Pulse();
        Interlocked.Exchange(ref _sendRequested, 1);
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0) _ = Task.Run(SendLoop);
    }

    private async Task SendLoop()
    {
        try
        {
            while (Interlocked.Exchange(ref _sendRequested, 0) == 1 && !_stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                    await using var notify = new NpgsqlCommand($"notify {Channel}", connection);
                    await notify.ExecuteNonQueryAsync(_stop.Token);
                    // At most a hundred NOTIFYs a second however fast appends come: each one is a
                    // commit that PostgreSQL serializes with other notifying commits.
                    await Task.Delay(MinimumNotifyInterval, _stop.Token);
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                    // Other processes still poll; nothing is lost by a missed notification.
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            Interlocked.Exchange(ref _sending, 0);
            if (Volatile.Read(ref _sendRequested) == 1 && !_stop.IsCancellationRequested && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
                _ = Task.Run(SendLoop);
        }
    }

    /// <summary>Completes at the next notification, or when <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        EnsureStarted();
        Task signal;
        lock (_gate) signal = _signal.Task;
        try { await signal.WaitAsync(timeout, ct); }
        catch (TimeoutException) { }
    }

    private void EnsureStarted()
    {
        if (_loop is not null) return;
        lock (_gate) _loop ??= Task.Run(ListenLoop);
    }

    private async Task ListenLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, _) => Pulse();
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                Pulse(); // anything appended while we were not listening
                while (!_stop.IsCancellationRequested)
                    await connection.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (Exception)
            {
                // The database went away: readers fall back to polling until we are back.
                Pulse();
                try { await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _signal;
            _signal = NewSignal();
        }
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null) { try { await _loop; } catch { /* stopping */ } }
        _stop.Dispose();
    }
}
