namespace SeriesPlatform.Domain;

/// <summary>Closes a breakout to new participants; twice = no-op.</summary>
public sealed record CloseBreakout(Guid BreakoutId) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("breakoutId", BreakoutId);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        return state.GetBreakout(BreakoutId).Closed ? [] : [new BreakoutClosed(BreakoutId, now)];
    }
}
