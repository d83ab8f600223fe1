namespace SeriesPlatform.Domain;

/// <summary>
/// Marks the edition as having taken place. Twice = no-op; a cancelled edition cannot conclude, and
/// an edition with dates cannot conclude before its first day has begun (in its own zone).
/// </summary>
public sealed record ConcludeEdition : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate() => new Dictionary<string, string[]>();

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        if (state.Status == EditionStatus.Concluded) return [];
        state.EnsureOpenForChanges();
        if (state.StartDate is { } start && DateOnly.FromDateTime(WallClock.ToLocal(now, state.TimeZone)) < start)
            throw new RuleViolation("edition-not-started", $"The edition starts on {start:yyyy-MM-dd}.");
        return [new EditionConcluded(now)];
    }
}
