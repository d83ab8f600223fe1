using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Infrastructure;

/// <summary>Input failed shape checks (HTTP 400 with an errors map).</summary>
public sealed class ValidationFailed(IReadOnlyDictionary<string, string[]> errors) : Exception("The request is not valid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public static ValidationFailed One(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The addressed resource does not exist (HTTP 404).</summary>
public sealed class NotFound(string message) : Exception(message);

/// <summary>The If-Match version is stale (HTTP 409 with the current version).</summary>
public sealed class VersionMismatch(long current, string message) : Exception(message)
{
    public long Current { get; } = current;
}

/// <summary>
/// Turns every failure into RFC 9457 problem+json with a stable type. Bad input is always 4xx;
/// only a genuine bug is a 500, and then without internals in the body.
/// </summary>
public sealed class ProblemMapper(IProblemDetailsService problems, ILogger<ProblemMapper> log) : IExceptionHandler
{
    public const string TypeBase = "https://seriesplatform.dev/problems/";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, type, title, extra) = Map(exception);
        if (status >= 500 && status != 503) log.LogError(exception, "Unhandled failure on {Path}", http.Request.Path);
        if (status == 503) http.Response.Headers.RetryAfter = "5";
        var details = new ProblemDetails { Status = status, Type = TypeBase + type, Title = title, Instance = http.Request.Path };
        if (status < 500 || status == 503) details.Detail = exception is BadHttpRequestException ? BadRequestDetail(exception) : exception.Message;
        foreach (var (k, v) in extra) details.Extensions[k] = v;
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    private static (int, string, string, Dictionary<string, object?>) Map(Exception ex) => ex switch
    {
        ValidationFailed v => (400, "validation-failed", "The request is not valid.", new() { ["errors"] = v.Errors }),
        BadHttpRequestException { StatusCode: 413 } => (413, "too-large", "The request body is too large.", new()),
        BadHttpRequestException b => (b.StatusCode, "malformed-request", "The request could not be read.", new()),
        NotFound => (404, "not-found", "Not found.", new()),
        Auth.Forbidden => (403, "forbidden", "Not allowed for this key.", new()),
        EntityNotFound e => (404, "not-found", "Not found.", new() { ["entity"] = e.What }),
        // Creating what exists is a conflict with the current state, not a rule about the request.
        RuleViolation { Code: "already-exists" } r => (409, r.Code, "It exists already.", new() { ["code"] = r.Code, ["field"] = r.Field }),
        RuleViolation r => (422, r.Code, "A business rule refused the command.", new() { ["code"] = r.Code, ["field"] = r.Field }),
        VersionMismatch m => (409, "version-conflict", "The resource changed since you read it.", new() { ["currentVersion"] = m.Current }),
        ConcurrencyConflictException c => (409, "version-conflict", "The resource changed since you read it.", new() { ["currentVersion"] = c.ActualVersion }),
        StreamArchivedException => (409, "archived", "The resource is archived.", new()),
        Commands.GuardFailed => (409, "changed-meanwhile", "Something the request depends on changed meanwhile; retry it.", new()),
        StoreUnavailableException => (503, "unavailable", "The database is unavailable; retry shortly.", new()),
        // Text PostgreSQL cannot store (a NUL that got past the input checks) is the client's input, not a fault.
        PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            (400, "validation-failed", "The request holds text the database cannot store (a NUL character).", new()),
        NpgsqlException n when StoreErrors.IsUnavailable(n) => (503, "unavailable", "The database is unavailable; retry shortly.", new()),
        OperationCanceledException => (499, "cancelled", "The request was cancelled.", new()),
        _ => (500, "internal", "An unexpected error occurred.", new()),
    };

    // Minimal APIs wrap JSON errors; the inner message names the field and position, which helps clients.
    private static string BadRequestDetail(Exception ex) => ex.InnerException is System.Text.Json.JsonException json
        ? $"The JSON body is malformed or has a wrong type{(json.Path is { } p ? $" at {p}" : "")}."
        : ex.Message;
}
