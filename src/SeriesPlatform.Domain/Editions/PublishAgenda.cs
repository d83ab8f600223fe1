namespace SeriesPlatform.Domain;

/// <summary>
/// Freezes the agenda as release N+1 with a changelog against release N (talks added, moved,
/// retitled, cancelled), like the numbered schedule versions of conference tools. The release is
/// the edition as it stood at this event: readers fold the stream up to it, so a release stays
/// readable and exportable forever. Publishing an unchanged agenda again is refused.
/// </summary>
public sealed record PublishAgenda(string? Note = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Text("note", Note, Validator.MaxLongText);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        var changes = AgendaChangelog.Between(state.ReleasedItems, EditionState.Release(state.Items.Values));
        if (state.ReleaseCount > 0 && changes.Count == 0)
            throw new RuleViolation("agenda-unchanged", $"The agenda has not changed since release {state.ReleaseCount}.");
        return [new AgendaPublished(state.ReleaseCount + 1, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), now, changes)];
    }
}

public sealed record AgendaPublished(int Version, string? Note, DateTimeOffset At, IReadOnlyList<AgendaChange> Changes);

public enum AgendaChangeKind { Added, Moved, Retitled, Cancelled }

/// <summary>One line of a release's changelog; Previous* hold what release N said.</summary>
public sealed record AgendaChange(AgendaChangeKind Change, Guid ItemId, AgendaItemKind Kind, string? Title,
    DateTime? StartLocal, string? Room, string? PreviousTitle = null, DateTime? PreviousStartLocal = null, string? PreviousRoom = null);

/// <summary>What a release remembers of an item, to compare the next release with.</summary>
public sealed record ReleasedItem(Guid Id, AgendaItemKind Kind, string? Title, DateOnly? Day, DateTime? StartLocal, int? DurationMinutes,
    string? Room, int Order);

public static class AgendaChangelog
{
    /// <summary>Changes from <paramref name="before"/> to <paramref name="after"/> (active items only), in agenda order.</summary>
    public static IReadOnlyList<AgendaChange> Between(IReadOnlyList<ReleasedItem> before, IReadOnlyList<ReleasedItem> after)
    {
        var old = before.ToDictionary(i => i.Id);
        var now = after.ToDictionary(i => i.Id);
        var changes = new List<(int Order, AgendaChange Change)>();
        foreach (var i in after)
        {
            if (!old.TryGetValue(i.Id, out var o))
            {
                changes.Add((i.Order, new AgendaChange(AgendaChangeKind.Added, i.Id, i.Kind, i.Title, i.StartLocal, i.Room)));
                continue;
            }
            if (o.Day != i.Day || o.StartLocal != i.StartLocal || o.DurationMinutes != i.DurationMinutes || o.Room != i.Room)
                changes.Add((i.Order, new AgendaChange(AgendaChangeKind.Moved, i.Id, i.Kind, i.Title, i.StartLocal, i.Room,
                    PreviousStartLocal: o.StartLocal, PreviousRoom: o.Room)));
            if (o.Title != i.Title)
                changes.Add((i.Order, new AgendaChange(AgendaChangeKind.Retitled, i.Id, i.Kind, i.Title, i.StartLocal, i.Room, PreviousTitle: o.Title)));
        }
        foreach (var o in before.Where(o => !now.ContainsKey(o.Id)))
            changes.Add((o.Order, new AgendaChange(AgendaChangeKind.Cancelled, o.Id, o.Kind, o.Title, o.StartLocal, o.Room)));
        return changes.OrderBy(c => c.Order).ThenBy(c => c.Change).Select(c => c.Change).ToList();
    }
}

public sealed partial class EditionState
{
    /// <summary>The number of the latest release (0 = none yet).</summary>
    public int ReleaseCount { get; set; }
    /// <summary>The active agenda items as the latest release froze them.</summary>
    public List<ReleasedItem> ReleasedItems { get; set; } = [];

    public static List<ReleasedItem> Release(IEnumerable<AgendaItem> items) => items.Where(i => !i.Cancelled).OrderBy(i => i.Order)
        .Select(i => new ReleasedItem(i.Id, i.Kind, i.Title, i.Day, i.StartLocal, i.DurationMinutes, i.Room, i.Order)).ToList();

    private void Apply(AgendaPublished e)
    {
        ReleaseCount = e.Version;
        ReleasedItems = Release(Items.Values);
    }
}
