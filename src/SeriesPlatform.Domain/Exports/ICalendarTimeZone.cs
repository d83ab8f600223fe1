using System.Globalization;

namespace SeriesPlatform.Domain.Exports;

/// <summary>
/// A VTIMEZONE for an IANA zone over a range of years, derived from the zone's rules in
/// <see cref="TimeZoneInfo"/>. On Linux .NET exposes the tz database as one adjustment rule per
/// transition period (with an internal "no daylight transitions" flag) plus a POSIX rule for the
/// future, so the public <see cref="TimeZoneInfo.AdjustmentRule"/> shape is not reliable to read
/// directly; instead the UTC offsets those rules produce are scanned, and every change of offset
/// becomes one STANDARD or DAYLIGHT observance with an explicit DTSTART (no RRULE). A zone without
/// any change in range gets a single fixed-offset STANDARD block.
/// </summary>
internal static class ICalendarTimeZone
{
    private sealed record Transition(DateTimeOffset AtUtc, TimeSpan From, TimeSpan To, bool Daylight);

    public static void Write(ICalendarWriter w, string zoneId, int fromYear, int toYear)
    {
        var zone = WallClock.Zone(zoneId);
        var rangeStart = new DateTimeOffset(fromYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rangeEnd = new DateTimeOffset(toYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // One year before the range finds the onset of the observance in force on 1 January.
        var found = Transitions(zone, rangeStart.AddYears(-1), rangeEnd);
        var before = found.LastOrDefault(t => t.AtUtc < rangeStart);
        var observances = found.Where(t => t.AtUtc >= rangeStart).ToList();
        if (before is not null) observances.Insert(0, before);
        else
        {
            var offset = zone.GetUtcOffset(rangeStart);
            // No change in the year before: the offset of 1 January holds since "the beginning".
            observances.Insert(0, new Transition(new DateTimeOffset(1970, 1, 1, 0, 0, 0, offset), offset, offset,
                observances.Count > 0 && zone.IsDaylightSavingTime(rangeStart)));
        }

        w.Raw("BEGIN", "VTIMEZONE");
        w.Raw("TZID", zoneId);
        w.Raw("X-LIC-LOCATION", zoneId);
        foreach (var t in observances)
        {
            var kind = t.Daylight ? "DAYLIGHT" : "STANDARD";
            w.Raw("BEGIN", kind);
            // DTSTART of an observance is the local time of the onset, read on the clock before it.
            w.Raw("DTSTART", t.AtUtc.ToOffset(t.From).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
            w.Raw("TZOFFSETFROM", Offset(t.From));
            w.Raw("TZOFFSETTO", Offset(t.To));
            w.Raw("END", kind);
        }
        w.Raw("END", "VTIMEZONE");
    }

    /// <summary>"-0400", or "+053000"-style with seconds when a historical offset has them.</summary>
    public static string Offset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var a = offset.Duration();
        var hhmm = $"{sign}{a.Hours + a.Days * 24:00}{a.Minutes:00}";
        return a.Seconds == 0 ? hhmm : hhmm + a.Seconds.ToString("00", CultureInfo.InvariantCulture);
    }

    private static List<Transition> Transitions(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var step = TimeSpan.FromHours(3);
        var list = new List<Transition>();
        var t = from;
        var offset = zone.GetUtcOffset(t);
        while (t < to)
        {
            var next = t + step;
            var nextOffset = zone.GetUtcOffset(next);
            if (nextOffset != offset)
            {
                // Narrow down to the second: lo has the old offset, hi the new one.
                var (lo, hi) = (t, next);
                while (hi - lo > TimeSpan.FromSeconds(1))
                {
                    var mid = lo + TimeSpan.FromTicks((hi - lo).Ticks / 2);
                    if (zone.GetUtcOffset(mid) == offset) lo = mid; else hi = mid;
                }
                var at = new DateTimeOffset(hi.UtcDateTime.Ticks - hi.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
                list.Add(new Transition(at, offset, nextOffset, zone.IsDaylightSavingTime(at)));
                offset = nextOffset;
            }
            t = next;
        }
        return list;
    }
}
