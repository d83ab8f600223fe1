namespace SeriesPlatform.Domain;

/// <summary>
/// Lookups derived from an edition's agenda and registrations, so a command's rules cost the same on
/// the tenth talk or attendee as on the ten-thousandth. Never stored: built from the state when first
/// needed, kept current by the events that only add (an item scheduled, an attendee registered or
/// waitlisted), and dropped by any other event, to be rebuilt when next needed. Dropping instead of
/// patching keeps the rare events (reschedules, cancellations, promotions) obviously correct.
/// </summary>
internal sealed class EditionIndex
{
    private readonly Dictionary<string, List<AgendaItem>> _timedByRoom = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, Registration> _registrations = [];
    private readonly HashSet<string> _activeDuplicateKeys = [];

    public int MaxOrder { get; private set; }
    public int ActiveTalks { get; private set; }
    public int SeatsTaken { get; private set; }
    public int Waitlisted { get; private set; }

    public EditionIndex(EditionState state)
    {
        foreach (var item in state.Items.Values) Add(item);
        foreach (var registration in state.Registrations) Add(registration);
    }

    /// <summary>This index after <paramref name="e"/> was applied to <paramref name="state"/>, or null when it must be rebuilt.</summary>
    public EditionIndex? After(object e, EditionState state)
    {
        switch (e)
        {
            case TalkScheduled x: Add(state.Items[x.TalkId]); return this;
            case BreakScheduled x: Add(state.Items[x.ItemId]); return this;
            case PosterSessionScheduled x: Add(state.Items[x.ItemId]); return this;
            case AttendeeRegistered x: Add(JustAdded(state, x.RegistrationId)); return this;
            case AttendeeWaitlisted x: Add(JustAdded(state, x.RegistrationId)); return this;
            default: return null;
        }
    }

    // The registration an add event just appended is the list's last one.
    private static Registration JustAdded(EditionState state, Guid id) =>
        state.Registrations[^1] is { } last && last.Id == id ? last : state.Registrations.First(r => r.Id == id);

    public IReadOnlyList<AgendaItem> TimedItemsIn(string? room) =>
        _timedByRoom.TryGetValue(RoomKey(room), out var items) ? items : [];

    public Registration? FindRegistration(Guid id) => _registrations.GetValueOrDefault(id);

    public bool HasActiveRegistration(string duplicateKey) => _activeDuplicateKeys.Contains(duplicateKey);

    private void Add(AgendaItem item)
    {
        MaxOrder = Math.Max(MaxOrder, item.Order);
        if (item.Cancelled) return;
        if (item.Kind == AgendaItemKind.Talk) ActiveTalks++;
        if (item.StartUtc is null) return;
        var key = RoomKey(item.Room);
        if (!_timedByRoom.TryGetValue(key, out var items)) _timedByRoom[key] = items = [];
        items.Add(item);
    }

    private void Add(Registration registration)
    {
        _registrations[registration.Id] = registration;
        if (registration.Active) _activeDuplicateKeys.Add(registration.EmailKey);
        if (registration.Status == RegistrationStatus.Registered) SeatsTaken++;
        if (registration.Status == RegistrationStatus.Waitlisted) Waitlisted++;
    }

    private static string RoomKey(string? room) => EditionState.NormalizeRoom(room) ?? "";
}
