using System.Security.Claims;
using Microsoft.Extensions.Primitives;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// Which public events a reader wants: by type, series and edition (each a set; empty = all).
/// Events that do not match still move the cursor on.
/// </summary>
public sealed record FeedFilter(IReadOnlySet<string> Types, IReadOnlySet<string> Series, IReadOnlySet<Guid> Editions)
{
    public static readonly FeedFilter All = new(new HashSet<string>(), new HashSet<string>(), new HashSet<Guid>());

    public bool IsEmpty => Types.Count == 0 && Series.Count == 0 && Editions.Count == 0;

    /// <summary>The same text for the same filter, whatever the order its values were given in.</summary>
    public string Key =>
        $"{string.Join(',', Types.Order(StringComparer.Ordinal))}|{string.Join(',', Series.Order(StringComparer.Ordinal))}|{string.Join(',', Editions.Order())}";

    /// <summary>Whether a public event of <paramref name="type"/> in that series and edition is wanted (decided before its data is read).</summary>
    public bool Matches(string type, string series, Guid? editionId) =>
        (Types.Count == 0 || Types.Contains(type))
        && (Series.Count == 0 || Series.Contains(series))
        && (Editions.Count == 0 || editionId is { } id && Editions.Contains(id));

    /// <summary>
    /// The filter as <paramref name="user"/> may have it: an admin key limited to one series reads only
    /// that series (naming another is a 403); other callers read what they asked for.
    /// </summary>
    public FeedFilter For(ClaimsPrincipal user) =>
        Access.OnlySeries(user) is null ? this : this with { Series = Access.LimitSeries(user, Series) };

    /// <summary>Reads <c>types</c>, <c>series</c>, <c>edition</c> (repeated or comma-separated); unknown types are a 400.</summary>
    public static FeedFilter Parse(IQueryCollection query, Dictionary<string, string[]> errors) =>
        Create(Values(query["types"]), Values(query["series"]), Values(query["edition"]), errors);

    public static FeedFilter Create(IEnumerable<string>? types, IEnumerable<string>? series, IEnumerable<string>? editions, Dictionary<string, string[]> errors)
    {
        var typeSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in types ?? [])
        {
            if (t is null) { errors["types"] = ["A type filter is an event type name, not null."]; continue; }
            // The short form "talk.scheduled.v1" is accepted for the full "org.seriesplatform.talk.scheduled.v1".
            var full = t.StartsWith(PublicTypes.Prefix, StringComparison.Ordinal) ? t : PublicTypes.Prefix + t;
            if (PublicTypes.All.Contains(full)) typeSet.Add(full);
            else errors["types"] = [$"'{t}' is not a public event type (see docs/integrations.md)."];
        }
        var seriesSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in series ?? [])
        {
            if (s is { Length: > 0 and <= 100 }) seriesSet.Add(s);
            else errors["series"] = ["A series filter is a series slug."];
        }
        var editionSet = new HashSet<Guid>();
        foreach (var e in editions ?? [])
        {
            if (e is not null && Guid.TryParse(e, out var id)) editionSet.Add(id);
            else errors["edition"] = [$"'{e}' is not an edition id."];
        }
        if (typeSet.Count + seriesSet.Count + editionSet.Count > 200) errors["filter"] = ["At most 200 filter values."];
        return new FeedFilter(typeSet, seriesSet, editionSet);
    }

    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
