namespace SeriesPlatform.Domain;

/// <summary>Makes a planned edition public. Announcing twice is a no-op.</summary>
public sealed record AnnounceEdition : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate() => new Dictionary<string, string[]>();

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        return state.Status == EditionStatus.Announced ? [] : [new EditionAnnounced(now)];
    }
}
