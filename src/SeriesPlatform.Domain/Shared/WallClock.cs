namespace SeriesPlatform.Domain;

/// <summary>Local wall-clock time in an edition's IANA zone, to and from UTC, DST-correct.</summary>
public static class WallClock
{
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz)
            ? tz
            : throw new RuleViolation("unknown-time-zone", $"Time zone '{id}' is not known.", "timeZone");

    /// <summary>
    /// A local time in the spring-forward gap never happens on a wall clock, so it is rejected;
    /// an ambiguous (fall-back) time takes the earlier instant, i.e. the daylight (larger) offset.
    /// </summary>
    public static DateTimeOffset ToUtc(DateTime local, string zoneId, string field = "startLocal")
    {
        var tz = Zone(zoneId);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (tz.IsInvalidTime(local))
            throw new RuleViolation("invalid-local-time",
                $"{local:yyyy-MM-dd HH:mm} does not exist in {zoneId} (daylight saving time starts).", field);
        var offset = tz.IsAmbiguousTime(local) ? tz.GetAmbiguousTimeOffsets(local).Max() : tz.GetUtcOffset(local);
        var utc = new DateTimeOffset(local, offset).ToUniversalTime();
        // Clocks also jump when a zone changes its standard offset (Kathmandu on 1986-01-01, Apia
        // skipping 2011-12-30), which IsInvalidTime does not see: a time that does not come back
        // from UTC as itself was never on the wall clock.
        if (TimeZoneInfo.ConvertTime(utc, tz).DateTime != local)
            throw new RuleViolation("invalid-local-time", $"{local:yyyy-MM-dd HH:mm} does not exist in {zoneId} (the clocks skipped it).", field);
        return utc;
    }

    public static DateTime ToLocal(DateTimeOffset utc, string zoneId) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(utc, Zone(zoneId)).DateTime, DateTimeKind.Unspecified);

    /// <summary>Computes the UTC interval of a slot; the end is elapsed time (DST-aware).</summary>
    public static (DateTimeOffset StartUtc, DateTimeOffset? EndUtc) Interval(DateTime startLocal, int? durationMinutes, string zoneId)
    {
        var start = ToUtc(startLocal, zoneId);
        return (start, durationMinutes is { } m ? start.AddMinutes(m) : null);
    }
}
