namespace SeriesPlatform.Domain;

/// <summary>
/// Puts a talk on the agenda. Title null = details to come; zero speakers is allowed (placeholder
/// slots, hackathon days); no start = only the stated order (and maybe the day) is known.
/// Kind defaults to Other: a page that does not say "invited" or "keynote" should not be made to.
/// </summary>
public sealed record ScheduleTalk(
    Guid TalkId, string? Title, string? Abstract, IReadOnlyList<SpeakerRef>? Speakers,
    DateOnly? Day, DateTime? StartLocal, int? DurationMinutes, string? Room, TalkKind Kind = TalkKind.Other,
    string? Label = null, string? Description = null, IReadOnlyList<Link>? Links = null, string? DateAsStated = null,
    TimeOnly? StartTimeOfDay = null, TimeOnly? EndTimeOfDay = null)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("talkId", TalkId);
        if (Title is not null) v.Required("title", Title, Validator.MaxTitle);
        v.Text("abstract", Abstract, Validator.MaxLongText);
        v.Speakers("speakers", Speakers);
        v.Slot(Day, StartLocal, DurationMinutes);
        v.Text("room", Room, Validator.MaxName);
        v.Enum("kind", Kind);
        v.Text("label", Label, Validator.MaxTitle);
        v.Text("description", Description, Validator.MaxLongText);
        v.Links("links", Links);
        v.Text("dateAsStated", DateAsStated, Validator.MaxTitle);
        if (StartTimeOfDay is not null && StartLocal is not null) v.Add("startTimeOfDay", "only when startLocal is unknown");
        if (EndTimeOfDay is not null && StartTimeOfDay is null) v.Add("endTimeOfDay", "requires startTimeOfDay");
        if (StartTimeOfDay is { } st && EndTimeOfDay is { } et && et <= st) v.Add("endTimeOfDay", "must be after startTimeOfDay");
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.Items.ContainsKey(TalkId)) throw new RuleViolation("duplicate-id", $"Agenda item {TalkId} already exists.", "talkId");
        var slot = Slot.Place(state, TalkId, Day, StartLocal, DurationMinutes, Room);
        return [new TalkScheduled(TalkId, Kind, Title?.Trim(), Abstract, Speakers ?? [],
            slot.Day, slot.StartLocal, slot.DurationMinutes, slot.Room, slot.StartUtc, slot.EndUtc, state.NextOrder,
            Label, Description, Links ?? [], DateAsStated, StartTimeOfDay, EndTimeOfDay)];
    }
}
