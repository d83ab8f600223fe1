using System.Text.Json.Serialization;

namespace SeriesPlatform.Domain;

/// <summary>
/// A registration as the edition's rules need it: who it is stays in the registration events
/// (sealed), where the admin's list reads it. Decisions never look at a name or an address, and held
/// here the sealed name and email were two fifths of a registration's bytes in memory and snapshots.
/// </summary>
public sealed class Registration
{
    public Guid Id { get; set; }
    public RegistrationStatus Status { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
    public DateTimeOffset? CheckedInAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    /// <summary>Whose key seals the name, email and affiliation in the events (null: stored in plain, e.g. in domain tests).</summary>
    public Guid? SubjectId { get; set; }
    /// <summary>What "the same email" means: the keyed fingerprint when sealed, else the normalized email.</summary>
    public string EmailKey { get; set; } = "";

    public bool CheckedIn => CheckedInAt is not null;
    [JsonIgnore] public bool Active => Status is RegistrationStatus.Registered or RegistrationStatus.Waitlisted;

    /// <summary>Emails compare trimmed and case-insensitively (one person, one registration).</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}

public sealed partial class EditionState
{
    /// <summary>Seats taken: registered attendees (checked-in ones are registered too).</summary>
    [JsonIgnore] public int SeatsTaken => Index.SeatsTaken;

    private void Apply(AttendeeRegistered e) => Registrations.Add(new Registration
    {
        Id = e.RegistrationId, Status = RegistrationStatus.Registered, RegisteredAt = e.At,
        SubjectId = e.SubjectId, EmailKey = e.EmailKey ?? Registration.NormalizeEmail(e.Email),
    });

    private void Apply(AttendeeWaitlisted e) => Registrations.Add(new Registration
    {
        Id = e.RegistrationId, Status = RegistrationStatus.Waitlisted, RegisteredAt = e.At,
        SubjectId = e.SubjectId, EmailKey = e.EmailKey ?? Registration.NormalizeEmail(e.Email),
    });

    private void Apply(RegistrationCancelled e)
    {
        var r = GetRegistration(e.RegistrationId);
        r.Status = RegistrationStatus.Cancelled;
        r.CancelledAt = e.At;
    }

    private void Apply(WaitlistedAttendeePromoted e)
    {
        var r = GetRegistration(e.RegistrationId);
        r.Status = RegistrationStatus.Registered;
        r.PromotedAt = e.At;
    }

    private void Apply(AttendeeCheckedIn e) => GetRegistration(e.RegistrationId).CheckedInAt = e.At;
}
