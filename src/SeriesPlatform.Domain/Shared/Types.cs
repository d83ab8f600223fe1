namespace SeriesPlatform.Domain;

// Value types shared by several features. Records with positional parameters round-trip through
// System.Text.Json (constructor binding) so they can live in events and in snapshots.

/// <summary>A person as they appeared at one item: the affiliation is per appearance, it changes.</summary>
public sealed record SpeakerRef(string Name, string? Affiliation = null, string? Orcid = null, string? Bio = null);

public sealed record Link(string Label, string Url);

public sealed record Venue(string Name, string? City = null, string? Country = null);

/// <summary>One source's claim about an edition's dates, kept verbatim when sources disagree.</summary>
public sealed record DateClaim(DateOnly StartDate, DateOnly EndDate, string? Source = null, string? Quote = null);

/// <summary>A stated sub-period of an edition ("2018-03-29 | hackathon").</summary>
public sealed record EditionPart(DateOnly StartDate, DateOnly EndDate, string Label);

public sealed record Organizer(string PersonName, string? Affiliation = null, string? Orcid = null, string? Role = null);

public enum EditionFormat { InPerson, Virtual, Hybrid }
public enum EditionStatus { Planned, Announced, Cancelled, Concluded }
public enum AgendaItemKind { Talk, Break, PosterSession }
public enum TalkKind { Invited, Contributed, Keynote, Remarks, Panel, Discussion, Hackathon, Lightning, Other }
public enum BreakKind { Coffee, Lunch, Breakfast, Dinner, Reception, Other }
public enum RegistrationStatus { Registered, Waitlisted, Cancelled }
