using System.Text.Json.Serialization;

namespace SeriesPlatform.Domain;

/// <summary>Guards shared by the edition's commands.</summary>
public sealed partial class EditionState
{
    [JsonIgnore] public bool IsClosed => Status is EditionStatus.Cancelled or EditionStatus.Concluded;

    public void EnsureExists()
    {
        if (!Exists) throw new EntityNotFound("edition", Id.ToString());
    }

    /// <summary>Cancelled and concluded editions take no more agenda or registration changes.</summary>
    public void EnsureOpenForChanges()
    {
        EnsureExists();
        if (IsClosed)
            throw new RuleViolation("edition-closed", $"The edition is {Status.ToString().ToLowerInvariant()}; it takes no more changes.");
    }

    public AgendaItem GetItem(Guid id) =>
        Items.TryGetValue(id, out var item) ? item : throw new EntityNotFound("agenda item", id.ToString());

    public Registration GetRegistration(Guid id) =>
        FindRegistration(id) ?? throw new EntityNotFound("registration", id.ToString());

    [JsonIgnore] public int NextOrder => Items.Count == 0 ? 1 : Index.MaxOrder + 1;

    /// <summary>[first local instant, first instant after) of the edition: its dates, else its year, else null.</summary>
    public (DateTime From, DateTime To)? LocalBounds() =>
        StartDate is { } s && EndDate is { } e ? (s.ToDateTime(TimeOnly.MinValue), e.AddDays(1).ToDateTime(TimeOnly.MinValue))
        : Year is { } y ? (new DateTime(y, 1, 1), new DateTime(y + 1, 1, 1))
        : null;

    /// <summary>A slot (or a bare day) must lie inside the edition's dates, or its year when only that is known.</summary>
    public void EnsureInsideDates(DateOnly? day, DateTime? startLocal, DateTimeOffset? endUtc, string field = "startLocal")
    {
        if (LocalBounds() is not { } b) return;
        var from = startLocal ?? day?.ToDateTime(TimeOnly.MinValue);
        if (from is null) return;
        var to = endUtc is { } end ? WallClock.ToLocal(end, TimeZone) : from.Value;
        if (from < b.From || from >= b.To || to > b.To)
            throw new RuleViolation("outside-edition-dates",
                $"{from:yyyy-MM-dd HH:mm} is outside the edition ({DescribeDates()}).", field);
    }

    /// <summary>
    /// Two active timed items in the same room (names compare trimmed, ignoring case) may not overlap
    /// (half-open; no duration = one minute). Breakouts that name their room count as items there.
    /// </summary>
    public void EnsureNoOverlap(Guid self, string? room, DateTimeOffset startUtc, DateTimeOffset? endUtc)
    {
        var end = endUtc ?? startUtc.AddMinutes(1);
        bool Overlaps(DateTimeOffset os, DateTimeOffset? oe) => startUtc < (oe ?? os.AddMinutes(1)) && os < end;
        string Where() => room is null ? "the main room" : $"room '{room}'";
        foreach (var other in Index.TimedItemsIn(room))
            if (other.Id != self && !other.Cancelled && other.StartUtc is { } os && Overlaps(os, other.EndUtc))
                throw new RuleViolation("slot-overlap", $"The slot overlaps '{other.Title ?? other.Kind.ToString()}' ({other.Id}) in {Where()}.", "startLocal");
        if (NormalizeRoom(room) is not { } named) return;
        // Breakouts are few: looked through, not indexed.
        foreach (var b in Breakouts.Values)
            if (b.Id != self && b.StartUtc is { } bs && string.Equals(NormalizeRoom(b.Room), named, StringComparison.OrdinalIgnoreCase) && Overlaps(bs, b.EndUtc))
                throw new RuleViolation("slot-overlap", $"The slot overlaps the breakout '{b.Topic}' ({b.Id}) in {Where()}.", "startLocal");
    }

    public static string? NormalizeRoom(string? room) => string.IsNullOrWhiteSpace(room) ? null : room.Trim();

    private string DescribeDates() =>
        StartDate is { } s && EndDate is { } e ? $"{s:yyyy-MM-dd} to {e:yyyy-MM-dd}" : $"year {Year}";
}
