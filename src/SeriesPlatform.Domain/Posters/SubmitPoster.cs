namespace SeriesPlatform.Domain;

/// <summary>A poster for this edition, optionally in one of its poster sessions.</summary>
public sealed record SubmitPoster(Guid PosterId, Guid? SessionId, string Title, IReadOnlyList<SpeakerRef> Authors,
    string? Abstract = null, IReadOnlyList<Link>? Links = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("posterId", PosterId);
        v.Required("title", Title, Validator.MaxTitle);
        if (Authors is null) v.Add("authors", "is required");
        v.Speakers("authors", Authors);
        v.Text("abstract", Abstract, Validator.MaxLongText);
        v.Links("links", Links);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.Posters.ContainsKey(PosterId)) throw new RuleViolation("duplicate-id", $"Poster {PosterId} already exists.", "posterId");
        if (SessionId is { } sid)
        {
            var session = state.GetItem(sid);
            if (session.Kind != AgendaItemKind.PosterSession)
                throw new RuleViolation("not-a-poster-session", $"Agenda item {sid} is not a poster session.", "sessionId");
            if (session.Cancelled) throw new RuleViolation("item-cancelled", "The poster session was cancelled.", "sessionId");
        }
        return [new PosterSubmitted(PosterId, SessionId, Title.Trim(), Authors ?? [], Abstract, Links ?? [])];
    }
}
