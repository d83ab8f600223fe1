namespace SeriesPlatform.Domain;

/// <summary>Joins a breakout; the same name twice is a no-op (retries, double clicks).</summary>
/// <remarks>The server seals the name (see RegisterAttendee) and passes its keyed fingerprint as ParticipantKey.</remarks>
public sealed record JoinBreakout(Guid BreakoutId, string ParticipantName, Guid? RegistrationId = null,
    Guid? SubjectId = null, string? ParticipantKey = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("breakoutId", BreakoutId);
        v.Required("participantName", ParticipantName, ParticipantKey is null ? Validator.MaxName : Validator.MaxSealed);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var b = state.GetBreakout(BreakoutId);
        if (RegistrationId is { } rid) state.GetRegistration(rid);
        var name = ParticipantKey is null ? ParticipantName.Trim() : ParticipantName;
        if (ParticipantKey is not null ? b.Participants.Any(p => p.Key == ParticipantKey) : b.Participants.Any(p => AddEditionOrganizer.Same(p.Name, name)))
            return [];
        if (b.Closed) throw new RuleViolation("breakout-closed", "The breakout is closed.", "breakoutId");
        if (b.Capacity is { } cap && b.Participants.Count >= cap)
            throw new RuleViolation("breakout-full", $"The breakout is full ({cap}).", "breakoutId");
        return [new BreakoutJoined(BreakoutId, name, RegistrationId, now, SubjectId, ParticipantKey)];
    }
}
