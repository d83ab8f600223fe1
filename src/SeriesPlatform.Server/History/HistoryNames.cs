using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SeriesPlatform.Domain;

namespace SeriesPlatform.Server.History;

/// <summary>Small helpers the historian projections share: stream ids, event names, person identities.</summary>
internal static class HistoryNames
{
    public static string Event<T>() => DomainEvents.NameOf(typeof(T));

    /// <summary>The edition id of an <c>edition-{guid:N}</c> stream.</summary>
    public static Guid EditionOf(string streamId) => Guid.ParseExact(streamId.AsSpan("edition-".Length), "N");

    public static string SeriesOf(string streamId) => streamId["series-".Length..];

    public static string Camel(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>
    /// A person's identity: the ORCID when given; otherwise the name within one edition (or one
    /// series, for series organizers). Never the bare name across editions — the same name in two
    /// editions may be two people, and only a curator's merge says otherwise. Deterministic, so
    /// person ids survive rebuilds and merges recorded against them stay valid.
    /// </summary>
    public static Guid PersonId(string name, string? orcid, string scope) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes(Orcid(orcid) is { } o ? "orcid:" + o : $"name:{scope}:{NormalizeName(name)}")));

    public static string? Orcid(string? orcid)
    {
        if (string.IsNullOrWhiteSpace(orcid)) return null;
        var o = orcid.Trim();
        var slash = o.LastIndexOf('/');
        return (slash >= 0 ? o[(slash + 1)..] : o).ToUpperInvariant();
    }

    public static string NormalizeName(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    public static string EditionScope(Guid edition) => edition.ToString("N");
    public static string SeriesScope(string slug) => "series:" + slug;
}
