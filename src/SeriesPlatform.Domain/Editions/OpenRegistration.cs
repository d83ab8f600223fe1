namespace SeriesPlatform.Domain;

/// <summary>Starts taking registrations; already open = no-op.</summary>
public sealed record OpenRegistration : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate() => new Dictionary<string, string[]>();

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        return state.RegistrationOpen ? [] : [new EditionRegistrationOpened(now)];
    }
}
