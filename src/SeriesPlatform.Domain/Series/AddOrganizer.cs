namespace SeriesPlatform.Domain;

/// <summary>A series-level organizer (steering committee ...). Same name + affiliation = no-op.</summary>
public sealed record AddOrganizer(string PersonName, string? Affiliation = null, string? Orcid = null, string? Role = null)
    : ICommand<SeriesState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Required("personName", PersonName, Validator.MaxName);
        v.Text("affiliation", Affiliation, Validator.MaxTitle);
        v.Orcid("orcid", Orcid);
        v.Text("role", Role, Validator.MaxName);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(SeriesState state, DateTimeOffset now)
    {
        state.EnsureExists();
        var name = PersonName.Trim();
        var affiliation = Affiliation?.Trim();
        var known = state.Organizers.Any(o =>
            AddEditionOrganizer.Same(o.PersonName, name) && AddEditionOrganizer.Same(o.Affiliation, affiliation));
        return known ? [] : [new SeriesOrganizerAdded(name, affiliation, Orcid, Role)];
    }
}
