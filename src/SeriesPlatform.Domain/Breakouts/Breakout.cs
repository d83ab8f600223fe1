namespace SeriesPlatform.Domain;

public sealed record BreakoutParticipant(string Name, Guid? RegistrationId, DateTimeOffset JoinedAt, Guid? SubjectId = null, string? Key = null);

/// <summary>A discussion group (the WiML un-workshop breakout: topics, community links, one slot).</summary>
public sealed class Breakout
{
    public Guid Id { get; set; }
    public string Topic { get; set; } = "";
    public SpeakerRef? Facilitator { get; set; }
    public int? Capacity { get; set; }
    public List<Link> Links { get; set; } = [];
    public DateTime? StartLocal { get; set; }
    public int? DurationMinutes { get; set; }
    public DateTimeOffset? StartUtc { get; set; }
    public DateTimeOffset? EndUtc { get; set; }
    public bool Closed { get; set; }
    public List<BreakoutParticipant> Participants { get; set; } = [];
    /// <summary>Discussion topics in stated order (the title is <see cref="Topic"/>).</summary>
    public List<string> Topics { get; set; } = [];
    public string? Description { get; set; }
    public string? DateAsStated { get; set; }
    public string? Room { get; set; }
}

public sealed partial class EditionState
{
    private void Apply(BreakoutOpened e) => Breakouts[e.BreakoutId] = new Breakout
    {
        Id = e.BreakoutId, Topic = e.Topic, Facilitator = e.Facilitator, Capacity = e.Capacity, Links = [.. e.Links],
        StartLocal = e.StartLocal, DurationMinutes = e.DurationMinutes, StartUtc = e.StartUtc, EndUtc = e.EndUtc,
        Topics = [.. e.Topics ?? []], Description = e.Description, DateAsStated = e.DateAsStated, Room = e.Room,
    };

    private void Apply(BreakoutJoined e) =>
        Breakouts[e.BreakoutId].Participants.Add(new BreakoutParticipant(e.ParticipantName, e.RegistrationId, e.At, e.SubjectId, e.ParticipantKey));

    private void Apply(BreakoutClosed e) => Breakouts[e.BreakoutId].Closed = true;

    public Breakout GetBreakout(Guid id) =>
        Breakouts.TryGetValue(id, out var b) ? b : throw new EntityNotFound("breakout", id.ToString());
}
