namespace SeriesPlatform.Domain;

/// <summary>A business rule said no (HTTP 422). <see cref="Code"/> is stable kebab-case.</summary>
public sealed class RuleViolation(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

/// <summary>An entity inside the aggregate (talk, registration ...) is unknown (HTTP 404).</summary>
public sealed class EntityNotFound(string what, string id) : Exception($"{what} '{id}' was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

public interface ICommand<TState> where TState : class, new()
{
    /// <summary>Input shape checks only. Empty = valid. Keys are camelCase field names.</summary>
    IReadOnlyDictionary<string, string[]> Validate();

    /// <summary>Pure decision on the current state: the events to append (empty = no-op).</summary>
    IReadOnlyList<object> Decide(TState state, DateTimeOffset now);
}
