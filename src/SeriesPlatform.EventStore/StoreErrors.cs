using System.Net.Sockets;
using Npgsql;

namespace SeriesPlatform.EventStore;

/// <summary>Maps PostgreSQL errors (by SQLSTATE and constraint, never by message text) to typed exceptions.</summary>
public static class StoreErrors
{
    /// <summary>SQLSTATE of a checked append whose stream moved past the expected version; the hint is the head.</summary>
    public const string AppendConflict = "SPA09";
    /// <summary>SQLSTATE of a checked append to an archived stream.</summary>
    public const string AppendArchived = "SPA10";

    public static Exception? Translate(PostgresException ex, string streamId, ExpectedVersion expected) => ex.SqlState switch
    {
        AppendConflict => new ConcurrencyConflictException(streamId, expected, long.TryParse(ex.Hint, out var head) ? head : -1),
        AppendArchived => new StreamArchivedException(streamId),
        // Unique (stream_id, stream_version): another writer took the version first. The append
        // function locks the stream row, so this is a second line of defence.
        PostgresErrorCodes.UniqueViolation when ex.ConstraintName == "events_stream_version_key"
            => new ConcurrencyConflictException(streamId, expected, expected.Value ?? -1),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            => new ConcurrencyConflictException(streamId, expected, expected.Value ?? -1),
        _ when IsUnavailable(ex) => new StoreUnavailableException("The database is unavailable.", ex),
        _ => null,
    };

    /// <summary>True for errors that mean "the database is not there right now" rather than "your request is wrong".</summary>
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        NpgsqlException npg when npg.IsTransient => true,
        SocketException => true,
        TimeoutException => true,
        _ => false,
    };
}
