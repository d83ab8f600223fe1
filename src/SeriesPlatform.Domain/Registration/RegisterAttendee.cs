namespace SeriesPlatform.Domain;

/// <summary>Registers an attendee, or waitlists them when every seat is taken (null capacity = unlimited).</summary>
/// <remarks>
/// The server validates the plain command, then seals Name, Email and Affiliation with the person's
/// key and passes <paramref name="EmailKey"/> (a keyed fingerprint of the normalized email) so the
/// duplicate rule works without the plaintext. Without a key, the email itself is compared.
/// </remarks>
public sealed record RegisterAttendee(Guid RegistrationId, string Name, string Email, string? Affiliation = null,
    Guid? SubjectId = null, string? EmailKey = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("registrationId", RegistrationId);
        if (EmailKey is null)
        {
            v.Required("name", Name, Validator.MaxName);
            v.Email("email", Email);
            v.Text("affiliation", Affiliation, Validator.MaxTitle);
        }
        else
        {
            // Sealed values: their plain text was checked before sealing; here only their size.
            v.Required("name", Name, Validator.MaxSealed);
            v.Required("email", Email, Validator.MaxSealed);
            v.Text("affiliation", Affiliation, Validator.MaxSealed);
            v.Required("emailKey", EmailKey, Validator.MaxName);
        }
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (!state.RegistrationOpen) throw new RuleViolation("registration-closed", "Registration is not open for this edition.");
        if (state.FindRegistration(RegistrationId) is not null)
            throw new RuleViolation("duplicate-id", $"Registration {RegistrationId} already exists.", "registrationId");
        var email = EmailKey is null ? Email.Trim() : Email;
        var key = EmailKey ?? Registration.NormalizeEmail(email);
        if (state.HasActiveRegistration(key))
            throw new RuleViolation("duplicate-registration", "This email already has an active registration.", "email");
        var name = EmailKey is null ? Name.Trim() : Name;
        var affiliation = EmailKey is null ? Affiliation?.Trim() : Affiliation;
        return state.Capacity is { } cap && state.SeatsTaken >= cap
            ? [new AttendeeWaitlisted(RegistrationId, name, email, affiliation, now, SubjectId, EmailKey)]
            : [new AttendeeRegistered(RegistrationId, name, email, affiliation, now, SubjectId, EmailKey)];
    }
}
