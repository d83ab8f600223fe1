using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using SeriesPlatform.Server.Commands;

namespace SeriesPlatform.Server.Infrastructure;

/// <summary>The HTTP side of commands: headers in (Idempotency-Key, If-Match), status, ETag and Location out.</summary>
public static class Http
{
    public static CommandRequest Command(HttpContext http, object? body, string? source = null)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        long? expected = null;
        if (!string.IsNullOrEmpty(ifMatch))
        {
            var raw = ifMatch.Trim();
            if (raw.StartsWith("W/", StringComparison.Ordinal)) raw = raw[2..];
            if (!long.TryParse(raw.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw ValidationFailed.One("If-Match", "If-Match must be an ETag this API returned, e.g. \"3\".");
            expected = v;
        }
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200) throw ValidationFailed.One("Idempotency-Key", "Idempotency-Key is at most 200 characters.");
        var actor = Actor(http.User);
        return new CommandRequest(
            Actor: actor,
            IdempotencyKey: string.IsNullOrEmpty(key) ? null : key,
            IfMatch: expected,
            // Only a keyed request is compared with an earlier one.
            Fingerprint: string.IsNullOrEmpty(key) ? null : $"{http.Request.Method} {http.Request.Path} {(body is null ? "" : JsonSerializer.Serialize(body, body.GetType()))}",
            CorrelationId: http.Request.Headers["X-Correlation-Id"].FirstOrDefault() ?? http.TraceIdentifier,
            Source: source,
            IdempotencyScope: $"{actor}:{http.Request.Method}:{http.Request.Path}",
            OnlySeries: http.User.FindFirstValue("series"));
    }

    public static string Actor(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? $"key:{user.FindFirstValue(ClaimTypes.NameIdentifier)}" : "anonymous";

    public static IResult Result(HttpContext http, CommandResponse response)
    {
        http.Response.Headers.ETag = ETag(response.Version);
        if (response.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        if (response.Location is not null) http.Response.Headers.Location = response.Location;
        return response.Body is { } body
            ? TypedResults.Text(body, "application/json; charset=utf-8", response.Status)
            : TypedResults.StatusCode(response.Status == 200 ? 204 : response.Status);
    }

    public static string ETag(long version) => $"\"{version}\"";

    /// <summary>True when the client's If-None-Match already names this version (answer 304).</summary>
    public static bool NotModified(HttpContext http, string etag)
    {
        http.Response.Headers.ETag = etag;
        return http.Request.Headers[HeaderNames.IfNoneMatch].Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"));
    }
}

/// <summary>Reads local wall-clock times ("2022-08-08T09:15") without letting an offset change their meaning.</summary>
public static class LocalTimes
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public static DateTime? Parse(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            return InRange(DateOnly.FromDateTime(value), field, errors) ? DateTime.SpecifyKind(value, DateTimeKind.Unspecified) : null;
        errors[field] = [$"'{field}' must be a local date-time like 2022-08-08T09:15 (no offset: it is read in the edition's time zone)."];
        return null;
    }

    // Times within the dates editions may have, so that turning them into UTC in any zone fits the calendar.
    public static bool InRange(DateOnly date, string field, Dictionary<string, string[]> errors)
    {
        if (Domain.Validator.InRange(date)) return true;
        errors[field] = [$"'{field}' must be between {Domain.Validator.MinDate:yyyy-MM-dd} and {Domain.Validator.MaxDate:yyyy-MM-dd}."];
        return false;
    }

    public static DateOnly? ParseDate(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            return InRange(value, field, errors) ? value : null;
        errors[field] = [$"'{field}' must be a date like 2022-08-08."];
        return null;
    }

    public static DateTimeOffset? ParseInstant(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
        throw ValidationFailed.One(field, $"'{field}' must be an ISO 8601 instant like 2022-08-01T12:00:00Z.");
    }

    public static void ThrowIfAny(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new ValidationFailed(errors);
    }
}
