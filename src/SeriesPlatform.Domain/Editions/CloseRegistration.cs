namespace SeriesPlatform.Domain;

/// <summary>Stops taking registrations (cancellations and check-ins still work); already closed = no-op.</summary>
public sealed record CloseRegistration : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate() => new Dictionary<string, string[]>();

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        return state.RegistrationOpen ? [new EditionRegistrationClosed(now)] : [];
    }
}
