namespace SeriesPlatform.Domain;

// Name and email are personal data: they live in these events for the organizers, and must never
// reach public read models, the public feed or logs.

// Name, email and affiliation are personal data: the server stores them sealed (encrypted with the
// person's key, see SubjectId) and EmailKey is a keyed fingerprint for "one person, one registration".
public sealed record AttendeeRegistered(Guid RegistrationId, string Name, string Email, string? Affiliation, DateTimeOffset At,
    Guid? SubjectId = null, string? EmailKey = null);
public sealed record AttendeeWaitlisted(Guid RegistrationId, string Name, string Email, string? Affiliation, DateTimeOffset At,
    Guid? SubjectId = null, string? EmailKey = null);
/// <summary>HeldSeat: the cancelled registration was Registered (not waitlisted), so a seat was freed.</summary>
public sealed record RegistrationCancelled(Guid RegistrationId, bool HeldSeat, DateTimeOffset At);
public sealed record WaitlistedAttendeePromoted(Guid RegistrationId, DateTimeOffset At);
public sealed record AttendeeCheckedIn(Guid RegistrationId, DateTimeOffset At);
