namespace SeriesPlatform.Domain;

/// <summary>
/// Opens a breakout group. Its slot, when given, must lie inside the edition's dates. A breakout
/// that names its room may not overlap an agenda item or another breakout in that room; one that
/// names none runs somewhere in parallel, so no room rule applies to it.
/// </summary>
public sealed record OpenBreakout(
    Guid BreakoutId, string Topic, SpeakerRef? Facilitator = null, int? Capacity = null, IReadOnlyList<Link>? Links = null,
    DateTime? StartLocal = null, int? DurationMinutes = null,
    IReadOnlyList<string>? Topics = null, string? Description = null, string? DateAsStated = null, string? Room = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("breakoutId", BreakoutId);
        v.Required("topic", Topic, Validator.MaxTitle);
        if (Facilitator is not null) v.Speaker("facilitator", Facilitator);
        v.Capacity("capacity", Capacity);
        v.Links("links", Links);
        v.Slot(null, StartLocal, DurationMinutes);
        if (v.ListSize("topics", Topics))
            for (var i = 0; i < Topics!.Count; i++) v.Required($"topics[{i}]", Topics[i], Validator.MaxTitle);
        v.Text("description", Description, Validator.MaxLongText);
        v.Text("dateAsStated", DateAsStated, Validator.MaxTitle);
        v.Text("room", Room, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.Breakouts.ContainsKey(BreakoutId)) throw new RuleViolation("duplicate-id", $"Breakout {BreakoutId} already exists.", "breakoutId");
        DateTime? local = StartLocal is { } l ? DateTime.SpecifyKind(l, DateTimeKind.Unspecified) : null;
        DateTimeOffset? startUtc = null, endUtc = null;
        if (local is { } start)
        {
            (var s, endUtc) = WallClock.Interval(start, DurationMinutes, state.TimeZone);
            startUtc = s;
            state.EnsureInsideDates(null, start, endUtc);
            if (EditionState.NormalizeRoom(Room) is { } room) state.EnsureNoOverlap(BreakoutId, room, s, endUtc);
        }
        return [new BreakoutOpened(BreakoutId, Topic.Trim(), Facilitator, Capacity, Links ?? [], local, DurationMinutes, startUtc, endUtc,
            Topics ?? [], Description, DateAsStated, EditionState.NormalizeRoom(Room))];
    }
}
