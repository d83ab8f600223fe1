using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using SeriesPlatform.Server.Auth;

namespace SeriesPlatform.Server.Pages;

/// <summary>
/// Admins sign in to the pages with an API key and then carry a cookie. The cookie scheme is only
/// ever named by the admin pages' policy: the API keeps authenticating with the Bearer key alone,
/// so a browser's cookie can never authorize an /api call (no CSRF on the JSON API).
/// </summary>
public static class AdminAuth
{
    public const string Scheme = "AdminCookie";
    public const string Policy = "admin-pages";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "sp_admin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = Lifetime;
            // A fixed lifetime: a stolen cookie stops working, however busy it is kept.
            o.SlidingExpiration = false;
            o.LoginPath = "/admin/sign-in";
            o.LogoutPath = "/admin/sign-out";
            o.AccessDeniedPath = "/admin/sign-in";
            o.ReturnUrlParameter = "returnUrl";
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sp_csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = Forms.CsrfField;
            // Framing is refused by the CSP (frame-ancestors 'none') on every page, not only forms.
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>The signed-in admin, if any (null on a public page viewed anonymously).</summary>
    public static async Task<ClaimsPrincipal?> CurrentAsync(HttpContext http)
    {
        if (http.User.Identity?.AuthenticationType == Scheme) return http.User;
        return (await http.AuthenticateAsync(Scheme)).AdminPrincipal();
    }

    /// <summary>
    /// Checks a key exactly as the API does, by running the API key handler itself on a probe
    /// request in a fresh scope (the request's own handler has already cached "no result").
    /// </summary>
    public static async Task<ClaimsPrincipal?> VerifyKeyAsync(HttpContext http, string key)
    {
        await using var scope = http.RequestServices.CreateAsyncScope();
        var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        probe.Request.Headers.Authorization = $"Bearer {key}";
        var result = await probe.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        if (!result.Succeeded) return null;
        // Re-issue the claims under the cookie scheme: Http.Actor reads the same NameIdentifier.
        var identity = new ClaimsIdentity(result.Principal.Claims, Scheme);
        return new ClaimsPrincipal(identity);
    }

    public static RouteGroupBuilder RequireAdminPages(this RouteGroupBuilder group) =>
        group.RequireAuthorization(new AuthorizeAttribute { Policy = Policy });
}
