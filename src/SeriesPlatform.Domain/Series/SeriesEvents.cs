namespace SeriesPlatform.Domain;

public sealed record SeriesCreated(string Slug, string Name, string? Description);

/// <summary>Only the changed fields are set; null = unchanged.</summary>
public sealed record SeriesRevised(string? Name, string? Description, IReadOnlyList<Link>? Links, string? CodeOfConduct);

public sealed record SeriesOrganizerAdded(string PersonName, string? Affiliation, string? Orcid, string? Role);
