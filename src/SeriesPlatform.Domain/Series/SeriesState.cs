namespace SeriesPlatform.Domain;

/// <summary>The series aggregate (stream <c>series-{slug}</c>); snapshot-friendly public get/set.</summary>
public sealed class SeriesState
{
    public bool Exists { get; set; }
    public long Version { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<Link> Links { get; set; } = [];
    public string? CodeOfConduct { get; set; }
    public List<Organizer> Organizers { get; set; } = [];

    public void Evolve(object e)
    {
        switch (e)
        {
            case SeriesCreated x: Apply(x); break;
            case SeriesRevised x: Apply(x); break;
            case SeriesOrganizerAdded x: Organizers.Add(new Organizer(x.PersonName, x.Affiliation, x.Orcid, x.Role)); break;
        }
    }

    private void Apply(SeriesCreated e)
    {
        Exists = true;
        (Slug, Name, Description) = (e.Slug, e.Name, e.Description);
    }

    private void Apply(SeriesRevised e)
    {
        if (e.Name is not null) Name = e.Name;
        if (e.Description is not null) Description = e.Description;
        if (e.Links is not null) Links = [.. e.Links];
        if (e.CodeOfConduct is not null) CodeOfConduct = e.CodeOfConduct;
    }

    public void EnsureExists()
    {
        if (!Exists) throw new EntityNotFound("series", Slug);
    }

    public static SeriesState From(IEnumerable<object> events)
    {
        var s = new SeriesState();
        foreach (var e in events) s.Evolve(e);
        return s;
    }
}
