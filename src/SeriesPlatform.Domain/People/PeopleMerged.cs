namespace SeriesPlatform.Domain;

/// <summary>
/// A curator's decision that two person identities of the historian read models are one person
/// (people without an ORCID are never merged by name alone). Ids are those the people read model
/// derives from ORCID or (edition, name), so the decision survives rebuilds. Stream <c>people</c>.
/// </summary>
public sealed record PeopleMerged(Guid SourcePersonId, Guid TargetPersonId, string? Reason = null);
