namespace SeriesPlatform.Domain.Exports;

/// <summary>
/// What an export needs besides the edition: the series' names, where the platform is served
/// (<see cref="BaseUrl"/>, used for links and iCalendar UIDs), which release is exported
/// (<c>null</c> = the live agenda) and the instant of generation — the only clock an export reads,
/// so that the same input always renders the same bytes (the server derives ETags from them).
/// </summary>
public sealed record ExportContext(string SeriesSlug, string SeriesName, Uri BaseUrl, string? Version, DateTimeOffset GeneratedAt)
{
    /// <summary>The base URL without a trailing slash, ready for appending <c>/editions/...</c>.</summary>
    internal string Root => BaseUrl.AbsoluteUri.TrimEnd('/');

    internal string EditionUrl(Guid editionId) => $"{Root}/editions/{editionId:D}";
}
