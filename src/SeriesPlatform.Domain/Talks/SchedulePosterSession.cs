namespace SeriesPlatform.Domain;

/// <summary>A poster session on the agenda; posters are submitted to it (Posters/).</summary>
public sealed record SchedulePosterSession(
    Guid ItemId, string? Title, DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room, string? SignupUrl = null,
    string? Description = null, string? SignupLabel = null)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("itemId", ItemId);
        v.Text("title", Title, Validator.MaxTitle);
        v.Slot(Day, StartLocal, DurationMinutes);
        v.Text("room", Room, Validator.MaxName);
        v.Url("signupUrl", SignupUrl);
        v.Text("description", Description, Validator.MaxLongText);
        v.Text("signupLabel", SignupLabel, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.Items.ContainsKey(ItemId)) throw new RuleViolation("duplicate-id", $"Agenda item {ItemId} already exists.", "itemId");
        var slot = Slot.Place(state, ItemId, Day, StartLocal, DurationMinutes, Room);
        return [new PosterSessionScheduled(ItemId, Title, SignupUrl,
            slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, state.NextOrder,
            Description, SignupLabel)];
    }
}
