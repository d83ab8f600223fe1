namespace SeriesPlatform.Domain;

/// <summary>
/// "The best posters will receive prizes": prizes are often announced at the end, so a concluded
/// edition still accepts them; a cancelled one does not. The same prize twice = no-op.
/// </summary>
public sealed record AwardPosterPrize(Guid PosterId, string Prize) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("posterId", PosterId);
        v.Required("prize", Prize, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        if (state.Status == EditionStatus.Cancelled) state.EnsureOpenForChanges();
        if (!state.Posters.TryGetValue(PosterId, out var poster)) throw new EntityNotFound("poster", PosterId.ToString());
        var prize = Prize.Trim();
        return poster.Prizes.Contains(prize, StringComparer.OrdinalIgnoreCase) ? [] : [new PosterPrizeAwarded(PosterId, prize)];
    }
}
