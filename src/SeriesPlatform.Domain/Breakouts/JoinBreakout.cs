namespace SeriesPlatform.Domain;

/// <summary>Joins a breakout; the same name twice is a no-op (retries, double clicks).</summary>
public sealed record JoinBreakout(Guid BreakoutId, string ParticipantName, Guid? RegistrationId = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("breakoutId", BreakoutId);
        v.Required("participantName", ParticipantName, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var b = state.GetBreakout(BreakoutId);
        if (RegistrationId is { } rid) state.GetRegistration(rid);
        var name = ParticipantName.Trim();
        if (b.Participants.Any(p => AddEditionOrganizer.Same(p.Name, name))) return [];
        if (b.Closed) throw new RuleViolation("breakout-closed", "The breakout is closed.", "breakoutId");
        if (b.Capacity is { } cap && b.Participants.Count >= cap)
            throw new RuleViolation("breakout-full", $"The breakout is full ({cap}).", "breakoutId");
        return [new BreakoutJoined(BreakoutId, name, RegistrationId, now)];
    }
}
