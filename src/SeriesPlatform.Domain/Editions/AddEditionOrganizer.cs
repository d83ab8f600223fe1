namespace SeriesPlatform.Domain;

/// <summary>An organizer of this edition, with the affiliation they had at the time. Same name + affiliation = no-op.</summary>
public sealed record AddEditionOrganizer(string PersonName, string? Affiliation = null, string? Orcid = null) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Required("personName", PersonName, Validator.MaxName);
        v.Text("affiliation", Affiliation, Validator.MaxTitle);
        v.Orcid("orcid", Orcid);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureExists();
        var name = PersonName.Trim();
        var affiliation = Affiliation?.Trim();
        var known = state.Organizers.Any(o => Same(o.PersonName, name) && Same(o.Affiliation, affiliation));
        return known ? [] : [new EditionOrganizerAdded(name, affiliation, Orcid)];
    }

    internal static bool Same(string? a, string? b) =>
        string.Equals(a?.Trim() ?? "", b?.Trim() ?? "", StringComparison.OrdinalIgnoreCase);
}
