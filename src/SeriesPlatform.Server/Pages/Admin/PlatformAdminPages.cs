using System.Globalization;
using System.Security.Claims;
using SeriesPlatform.Server.Auth;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>
/// Pages for platform-wide operations (webhooks, projection rebuilds): like the API's
/// <see cref="Policies.PlatformAdmin"/>, an admin whose key is limited to one series is refused
/// with a 403 page (not sent back to sign in: the signed-in key is simply not enough).
/// </summary>
public static class PlatformAdminPages
{
    public static bool IsPlatformAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) && !user.HasClaim(c => c.Type == "series");

    public static void Ensure(ClaimsPrincipal user)
    {
        if (!IsPlatformAdmin(user))
            throw new Forbidden($"Only an admin not limited to a series may do this; this key may only manage the series '{user.FindFirstValue("series")}'.");
    }

    public static RouteGroupBuilder RequirePlatformAdmin(this RouteGroupBuilder group) => group.AddEndpointFilter(async (ctx, next) =>
    {
        Ensure(ctx.HttpContext.User);
        return await next(ctx);
    });

    /// <summary>A moment in UTC, machine-readable too.</summary>
    public static Html When(DateTimeOffset at) =>
        H($"""<time datetime="{at.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}">{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>""");
}
