using System.Text.Json;

namespace SeriesPlatform.EventStore;

/// <summary>What the writer expects the stream's version to be before the append.</summary>
public readonly record struct ExpectedVersion(long? Value)
{
    public static readonly ExpectedVersion Any = new(null);
    /// <summary>The stream must not exist yet (version 0).</summary>
    public static readonly ExpectedVersion NoStream = new(0);
    public static ExpectedVersion Exactly(long version) => new(version);
    public override string ToString() => Value is null ? "any" : Value == 0 ? "no stream" : Value.Value.ToString();
}

/// <summary>Who and what caused an event. Stored as jsonb next to the event.</summary>
public sealed record EventMetadata(
    string? CorrelationId = null,
    string? CausationId = null,
    string? Actor = null,
    string? CommandId = null,
    string? Command = null,
    string? Source = null);

/// <summary>An event to append: its id makes retries idempotent.</summary>
public sealed record EventData(Guid EventId, object Data, EventMetadata? Metadata = null)
{
    public static EventData New(object data, EventMetadata? metadata = null) => new(Guid.CreateVersion7(), data, metadata);
}

public sealed record AppendResult(string StreamId, long Version, long? FirstPosition, long? LastPosition, bool WasDuplicate);

/// <summary>An event as read back from the log.</summary>
public sealed record RecordedEvent(
    long Position,
    ulong TxId,
    string StreamId,
    long StreamVersion,
    Guid EventId,
    string Type,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt)
{
    public GlobalCursor Cursor => new(TxId, Position);
    /// <summary>The data as JSON, whatever CLR type it was read into.</summary>
    public JsonElement DataJson(JsonSerializerOptions options) =>
        Data is JsonElement element ? element : JsonSerializer.SerializeToElement(Data, Data.GetType(), options);
}

/// <summary>
/// An event of the global log as stored: its data is the stored JSON (UTF-8), not deserialized, and
/// its metadata is left out. For readers that translate the JSON themselves (the public feed).
/// </summary>
public readonly record struct StoredEvent(
    ulong TxId,
    long Position,
    string StreamId,
    Guid EventId,
    string Type,
    int SchemaVersion,
    byte[] Data,
    DateTimeOffset RecordedAt)
{
    public GlobalCursor Cursor => new(TxId, Position);
}

public sealed class ConcurrencyConflictException(string streamId, ExpectedVersion expected, long actualVersion)
    : Exception($"Stream '{streamId}' is at version {actualVersion}, the writer expected {expected}.")
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public long ActualVersion { get; } = actualVersion;
}

public sealed class StreamArchivedException(string streamId)
    : Exception($"Stream '{streamId}' is archived and takes no more events.")
{
    public string StreamId { get; } = streamId;
}

/// <summary>The database could not be reached or is shutting down: retry later (HTTP 503).</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
