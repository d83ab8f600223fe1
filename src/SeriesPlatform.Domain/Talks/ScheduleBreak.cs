namespace SeriesPlatform.Domain;

/// <summary>Coffee, lunch, dinner ... on the agenda; the label keeps the programme's wording.</summary>
public sealed record ScheduleBreak(
    Guid ItemId, BreakKind Kind, string? Label, DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("itemId", ItemId);
        v.Enum("kind", Kind);
        v.Text("label", Label, Validator.MaxTitle);
        v.Slot(Day, StartLocal, DurationMinutes);
        v.Text("room", Room, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.Items.ContainsKey(ItemId)) throw new RuleViolation("duplicate-id", $"Agenda item {ItemId} already exists.", "itemId");
        var slot = Slot.Place(state, ItemId, Day, StartLocal, DurationMinutes, Room);
        return [new BreakScheduled(ItemId, Kind, Label,
            slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, state.NextOrder)];
    }
}
