using System.Text.Json;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// The property names and fixed values of the public contract, encoded once: the feed writes them
/// for every event of the log. Names are camelCase, as in docs/integrations.md.
/// </summary>
public static class PublicNames
{
    private static JsonEncodedText E(string text) => JsonEncodedText.Encode(text);

    // CloudEvents envelope
    public static readonly JsonEncodedText SpecVersion = E("specversion"), Id = E("id"), Source = E("source"), Type = E("type"),
        Subject = E("subject"), Time = E("time"), DataContentType = E("datacontenttype"), Cursor = E("cursor"), Data = E("data");
    public static readonly JsonEncodedText SpecVersion10 = E("1.0"), ApplicationJson = E("application/json");

    // data
    public static readonly JsonEncodedText EditionId = E("editionId"), Series = E("series"), Name = E("name"), Description = E("description"),
        Title = E("title"), StartDate = E("startDate"), EndDate = E("endDate"), Year = E("year"), TimeZone = E("timeZone"), Format = E("format"),
        Venue = E("venue"), Capacity = E("capacity"), PlannedFrom = E("plannedFrom"), At = E("at"), Reason = E("reason"), TalkId = E("talkId"),
        Kind = E("kind"), DetailsToCome = E("detailsToCome"), Abstract = E("abstract"), Speakers = E("speakers"), Day = E("day"),
        StartLocal = E("startLocal"), StartUtc = E("startUtc"), EndUtc = E("endUtc"), DurationMinutes = E("durationMinutes"), Room = E("room"),
        ItemId = E("itemId"), Label = E("label"), SignupUrl = E("signupUrl"), BreakoutId = E("breakoutId"), Topic = E("topic"),
        Facilitator = E("facilitator"), RegistrationId = E("registrationId"), Status = E("status"), SeatFreed = E("seatFreed"),
        Affiliation = E("affiliation"), Orcid = E("orcid"), City = E("city"), Country = E("country"), Links = E("links"), Url = E("url"),
        CodeOfConduct = E("codeOfConduct"), Organizer = E("organizer"), Role = E("role"), PosterId = E("posterId"), SessionId = E("sessionId"),
        Authors = E("authors"), Prize = E("prize"), Version = E("version"), Note = E("note"), Changes = E("changes"), Change = E("change"),
        PreviousTitle = E("previousTitle"), PreviousStartLocal = E("previousStartLocal"), PreviousRoom = E("previousRoom"),
        SourcePersonId = E("sourcePersonId"), TargetPersonId = E("targetPersonId");

    // values
    public static readonly JsonEncodedText Other = E("other"), Registered = E("registered"), Waitlisted = E("waitlisted"),
        CheckedIn = E("checkedIn"), Cancelled = E("cancelled");

    // Public enum spellings are fixed here, not derived from internal enum names.
    public static readonly JsonEncodedText[] EditionFormats = [E("inPerson"), E("virtual"), E("hybrid")];
    public static readonly JsonEncodedText[] TalkKinds =
        [E("invited"), E("contributed"), E("keynote"), E("remarks"), E("panel"), E("discussion"), E("hackathon"), E("lightning"), E("other")];
    public static readonly JsonEncodedText[] AgendaChanges = [E("added"), E("moved"), E("retitled"), E("cancelled")];
    public static readonly JsonEncodedText[] AgendaItemKinds = [E("talk"), E("break"), E("posterSession")];
    public static readonly JsonEncodedText[] BreakKinds = [E("coffee"), E("lunch"), E("breakfast"), E("dinner"), E("reception"), E("other")];
}
