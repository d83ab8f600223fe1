namespace SeriesPlatform.Domain;

/// <summary>Records arrival at the venue; only registered (not waitlisted or cancelled) attendees. Twice = no-op.</summary>
public sealed record CheckInAttendee(Guid RegistrationId) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("registrationId", RegistrationId);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var r = state.GetRegistration(RegistrationId);
        if (r.Status != RegistrationStatus.Registered)
            throw new RuleViolation("not-registered", $"The registration is {r.Status.ToString().ToLowerInvariant()}, not registered.", "registrationId");
        return r.CheckedIn ? [] : [new AttendeeCheckedIn(RegistrationId, now)];
    }
}
