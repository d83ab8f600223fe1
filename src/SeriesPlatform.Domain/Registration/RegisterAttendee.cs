namespace SeriesPlatform.Domain;

/// <summary>Registers an attendee, or waitlists them when every seat is taken (null capacity = unlimited).</summary>
public sealed record RegisterAttendee(Guid RegistrationId, string Name, string Email, string? Affiliation = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("registrationId", RegistrationId);
        v.Required("name", Name, Validator.MaxName);
        v.Email("email", Email);
        v.Text("affiliation", Affiliation, Validator.MaxTitle);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (!state.RegistrationOpen) throw new RuleViolation("registration-closed", "Registration is not open for this edition.");
        if (state.Registrations.Any(r => r.Id == RegistrationId))
            throw new RuleViolation("duplicate-id", $"Registration {RegistrationId} already exists.", "registrationId");
        var email = Email.Trim();
        var key = Registration.NormalizeEmail(email);
        if (state.Registrations.Any(r => r.Active && Registration.NormalizeEmail(r.Email) == key))
            throw new RuleViolation("duplicate-registration", "This email already has an active registration.", "email");
        var name = Name.Trim();
        var affiliation = Affiliation?.Trim();
        return state.Capacity is { } cap && state.SeatsTaken >= cap
            ? [new AttendeeWaitlisted(RegistrationId, name, email, affiliation, now)]
            : [new AttendeeRegistered(RegistrationId, name, email, affiliation, now)];
    }
}
