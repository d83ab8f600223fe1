namespace SeriesPlatform.EventStore.Projections;

public sealed record ProjectionOptions
{
    /// <summary>Events per transaction: bigger batches mean fewer commits, smaller ones fresher checkpoints.</summary>
    public int BatchSize { get; init; } = 1000;
    /// <summary>How often a process that is not the leader tries to take the lock (the takeover delay after a crash).</summary>
    public TimeSpan LeaderPollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How often the leader checks that its lock connection is still alive.</summary>
    public TimeSpan LeaseCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest idle wait for new events (a rebuild request is noticed within this time).</summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Pause after an unexpected failure (database restart ...) before trying again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// After a partial batch, wait this long before reading again, so that under a steady stream of
    /// commits a projection reads pages of many events instead of one query, one page and one
    /// checkpoint transaction per commit. Adds at most this much lag. (At 5,000 commands/s, 100 ms
    /// makes pages of several hundred events; 50 ms made twice as many pages, each with its own
    /// checkpoint transaction.)
    /// </summary>
    public TimeSpan CoalesceDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}
