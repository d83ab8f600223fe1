namespace SeriesPlatform.Domain;

/// <summary>
/// Moves any agenda item to a new local start. Null duration / room keep the current ones
/// (moving a talk rarely changes its length or room).
/// </summary>
public sealed record RescheduleTalk(Guid TalkId, DateTime StartLocal, int? DurationMinutes = null, string? Room = null)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("talkId", TalkId);
        if (StartLocal == default) v.Add("startLocal", "is required");
        v.LocalTime("startLocal", StartLocal);
        v.Duration("durationMinutes", DurationMinutes);
        v.Text("room", Room, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var item = state.GetItem(TalkId);
        if (item.Cancelled) throw new RuleViolation("item-cancelled", "A cancelled item cannot be rescheduled.", "talkId");
        var slot = Slot.Place(state, TalkId, null, StartLocal, DurationMinutes ?? item.DurationMinutes, Room ?? item.Room);
        if (slot.StartLocal == item.StartLocal && slot.DurationMinutes == item.DurationMinutes && slot.Room == item.Room)
            return [];
        return [new TalkRescheduled(TalkId, slot.Day!.Value, slot.StartLocal!.Value, slot.DurationMinutes, slot.Room,
            slot.StartUtc!.Value, slot.EndUtc)];
    }
}
