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

    /// <summary>An admin whose key covers this series.</summary>
    public static bool IsAdminOf(ClaimsPrincipal user, string series) =>
        user.IsInRole(Roles.Admin) && (user.FindFirstValue("series") ?? series) == series;
}
