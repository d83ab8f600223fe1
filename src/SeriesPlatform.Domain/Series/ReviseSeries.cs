namespace SeriesPlatform.Domain;

/// <summary>Changes series details; null = unchanged; emits only what actually differs (nothing = no event).</summary>
public sealed record ReviseSeries(string? Name = null, string? Description = null, IReadOnlyList<Link>? Links = null, string? CodeOfConduct = null)
    : ICommand<SeriesState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        if (Name is not null) v.Required("name", Name, Validator.MaxName);
        v.Text("description", Description, Validator.MaxLongText);
        v.Links("links", Links);
        v.Text("codeOfConduct", CodeOfConduct, Validator.MaxLongText);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(SeriesState state, DateTimeOffset now)
    {
        state.EnsureExists();
        var name = Name?.Trim() is { } n && n != state.Name ? n : null;
        var description = Description is not null && Description != state.Description ? Description : null;
        var links = Links is not null && !Links.SequenceEqual(state.Links) ? Links : null;
        var coc = CodeOfConduct is not null && CodeOfConduct != state.CodeOfConduct ? CodeOfConduct : null;
        return name is null && description is null && links is null && coc is null
            ? []
            : [new SeriesRevised(name, description, links, coc)];
    }
}
