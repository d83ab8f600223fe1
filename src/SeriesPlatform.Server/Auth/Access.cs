using System.Security.Claims;

namespace SeriesPlatform.Server.Auth;

/// <summary>The caller may act on some resources but not on this one (HTTP 403).</summary>
public sealed class Forbidden(string message) : Exception(message);

/// <summary>Checks that go beyond a role: an admin key can be limited to one series.</summary>
public static class Access
{
    public static void EnsureSeries(string? onlySeries, string? series)
    {
        if (onlySeries is not null && !string.Equals(onlySeries, series, StringComparison.Ordinal))
            throw new Forbidden($"This key may only manage the series '{onlySeries}'.");
    }

    public static void EnsureSeries(ClaimsPrincipal user, string? series) => EnsureSeries(user.FindFirstValue("series"), series);

    /// <summary>The one series the caller's key is limited to, or null for a key of the whole platform.</summary>
    public static string? OnlySeries(ClaimsPrincipal user) => user.FindFirstValue("series");

    /// <summary>
    /// A series filter (empty = every series) as the caller may use it: a key limited to one series
    /// gets exactly that series, and naming any other is a 403. Other callers keep what they named.
    /// </summary>
    public static HashSet<string> LimitSeries(ClaimsPrincipal user, IEnumerable<string>? named)
    {
        var set = new HashSet<string>(named ?? [], StringComparer.Ordinal);
        if (OnlySeries(user) is not { } only) return set;
        EnsureSeries(only, set.FirstOrDefault(s => s != only) ?? only);
        return [only];
    }

    /// <summary>An admin whose key covers this series.</summary>
    public static bool IsAdminOf(ClaimsPrincipal user, string series) =>
        user.IsInRole(Roles.Admin) && (user.FindFirstValue("series") ?? series) == series;
}
