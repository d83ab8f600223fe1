namespace SeriesPlatform.Domain;

/// <summary>Cancels the edition (closes registration too). Twice = no-op; a concluded edition cannot be cancelled.</summary>
public sealed record CancelEdition(string? Reason = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Text("reason", Reason, Validator.MaxLongText);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        if (state.Status == EditionStatus.Cancelled) return [];
        state.EnsureOpenForChanges();
        return [new EditionCancelled(Reason, now)];
    }
}
