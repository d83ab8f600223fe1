namespace SeriesPlatform.Domain;

/// <summary>Cancels any agenda item; it stays in history but leaves the agenda and frees its slot.</summary>
public sealed record CancelTalk(Guid TalkId, string? Reason = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("talkId", TalkId);
        v.Text("reason", Reason, Validator.MaxTitle);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        var item = state.GetItem(TalkId);
        return item.Cancelled ? [] : [new TalkCancelled(TalkId, Reason)];
    }
}
