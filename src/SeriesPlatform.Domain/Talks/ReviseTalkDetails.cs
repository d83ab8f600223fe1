namespace SeriesPlatform.Domain;

/// <summary>
/// Fills in or corrects title, abstract, speakers ("details to come" becomes a real talk).
/// Null = leave unchanged. Works on any agenda item; speakers only on talks.
/// </summary>
public sealed record ReviseTalkDetails(Guid TalkId, string? Title = null, string? Abstract = null, IReadOnlyList<SpeakerRef>? Speakers = null)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("talkId", TalkId);
        if (Title is not null) v.Required("title", Title, Validator.MaxTitle);
        v.Text("abstract", Abstract, Validator.MaxLongText);
        v.Speakers("speakers", Speakers);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var item = state.GetItem(TalkId);
        if (item.Cancelled) throw new RuleViolation("item-cancelled", "A cancelled item cannot be revised.", "talkId");
        if (Speakers is not null && item.Kind != AgendaItemKind.Talk)
            throw new RuleViolation("not-a-talk", "Only talks have speakers.", "speakers");
        var title = Title?.Trim() is { } t && t != item.Title ? t : null;
        var @abstract = Abstract is not null && Abstract != item.Abstract ? Abstract : null;
        var speakers = Speakers is not null && !Speakers.SequenceEqual(item.Speakers) ? Speakers : null;
        return title is null && @abstract is null && speakers is null
            ? []
            : [new TalkDetailsRevised(TalkId, title, @abstract, speakers)];
    }
}
