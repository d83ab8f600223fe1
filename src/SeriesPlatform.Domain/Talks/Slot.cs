namespace SeriesPlatform.Domain;

/// <summary>Where an agenda item lands once the rules have been checked.</summary>
public sealed record Slot(DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room,
    DateTimeOffset? StartUtc, DateTimeOffset? EndUtc)
{
    /// <summary>
    /// Converts local wall-clock time to UTC in the edition's zone and checks the slot rules:
    /// inside the edition's dates (or year), and no overlap with another active item in the same room.
    /// </summary>
    public static Slot Place(EditionState s, Guid self, DateOnly? day, DateTime? startLocal, int? durationMinutes, string? room)
    {
        room = EditionState.NormalizeRoom(room);
        if (startLocal is not { } local)
        {
            s.EnsureInsideDates(day, null, null, "day");
            return new Slot(day, null, null, room, null, null);
        }
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var (startUtc, endUtc) = WallClock.Interval(local, durationMinutes, s.TimeZone);
        s.EnsureInsideDates(null, local, endUtc);
        s.EnsureNoOverlap(self, room, startUtc, endUtc);
        return new Slot(DateOnly.FromDateTime(local), local, durationMinutes, room, startUtc, endUtc);
    }
}
