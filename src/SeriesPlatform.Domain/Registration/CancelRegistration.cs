namespace SeriesPlatform.Domain;

/// <summary>
/// Cancels a registration (also while registration is closed). A freed seat goes to the first
/// waitlisted attendee in registration order, in the same decision. Twice = no-op.
/// </summary>
public sealed record CancelRegistration(Guid RegistrationId) : ICommand<EditionState>
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
        if (r.Status == RegistrationStatus.Cancelled) return [];
        var heldSeat = r.Status == RegistrationStatus.Registered;
        var events = new List<object> { new RegistrationCancelled(RegistrationId, heldSeat, now) };
        // Promote only if a seat is really free now (capacity may have been lowered meanwhile).
        var seatsAfter = state.SeatsTaken - (heldSeat ? 1 : 0);
        var first = state.Registrations.FirstOrDefault(x => x.Status == RegistrationStatus.Waitlisted);
        if (heldSeat && first is not null && (state.Capacity is not { } cap || seatsAfter < cap))
            events.Add(new WaitlistedAttendeePromoted(first.Id, now));
        return events;
    }
}
