namespace SeriesPlatform.EventStore.Projections;

/// <summary>
/// An asynchronous read model built from the global log. The daemon reads events after the
/// projection's checkpoint, calls <see cref="Apply"/> for each one (the projection only queues SQL
/// on the batch), and executes the queued writes together with the new checkpoint in one
/// transaction. Implementations must be deterministic: a rebuild replays the same events.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: checkpoints, dead letters and rebuilds refer to it.</summary>
    string Name { get; }

    /// <summary>The event types it reads (filtered in SQL); null = every event.</summary>
    IReadOnlyCollection<string>? EventTypes { get; }

    /// <summary>
    /// Its tables. Each generation gets physical tables <c>{name}_g{n}</c>; readers query a view
    /// named <c>{name}</c> that points at the live generation, so a rebuild swaps under them.
    /// </summary>
    IReadOnlyList<ProjectionTable> Tables { get; }

    /// <summary>Queues the writes for one event. Throwing sends the event to the dead letters.</summary>
    void Apply(RecordedEvent e, ProjectionBatch batch);
}

/// <summary>
/// A table of a projection. <paramref name="Columns"/> is the body of CREATE TABLE; each index is a
/// full CREATE INDEX statement where <c>{table}</c> stands for the physical table name.
/// </summary>
public sealed record ProjectionTable(string Name, string Columns, params string[] Indexes);
