using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using SeriesPlatform.Server.Auth;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>Sign in with an admin API key (checked like the API checks it); the session is a short-lived HttpOnly cookie.</summary>
public static class SignInPage
{
    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/sign-in", (HttpContext http, string? returnUrl) => Render(http, Form.Empty("signin"), returnUrl));

        app.MapPost("/admin/sign-in", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            // Login CSRF: a forged sign-in would put the victim into the attacker's session.
            await antiforgery.ValidateRequestAsync(http);
            var form = await Form.ReadAsync(http, "signin");
            var key = form["key"].Trim();
            var principal = key.Length == 0 ? null : await AdminAuth.VerifyKeyAsync(http, key);
            if (principal is null) form.Errors["key"] = "This key is unknown or revoked.";
            else if (!principal.IsInRole(Roles.Admin)) form.Errors["key"] = "This key is not an admin key.";
            if (form.HasErrors) return Render(http, form, form["returnUrl"], 401);
            await http.SignInAsync(AdminAuth.Scheme, principal!, new AuthenticationProperties { IsPersistent = false });
            var returnUrl = form["returnUrl"];
            // Only a local path: a crafted link must not bounce a fresh admin to another site.
            return AdminCommands.SeeOther(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\") ? returnUrl : "/admin");
        });
    }

    /// <summary>In the admin group: its antiforgery check sees the same signed-in user the layout's token was made for.</summary>
    public static void MapSignOut(this IEndpointRouteBuilder admin) =>
        admin.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(AdminAuth.Scheme);
            return AdminCommands.SeeOther("/");
        });

    private static Page Render(HttpContext http, Form form, string? returnUrl, int status = 200) => new("Admin sign-in", H($"""
        <h1>Admin sign-in</h1>
        <p>Sign in with an admin API key (from <code>ops/run</code> or <code>series keys create --role admin</code>). The session lasts {(int)AdminAuth.Lifetime.TotalMinutes} minutes.</p>
        <form method="post" action="/admin/sign-in" class="stacked">
        {Forms.Csrf(http)}
        <input type="hidden" name="returnUrl" value="{returnUrl ?? ""}">
        {Forms.Errors(form)}
        {Forms.Input(form, "key", "API key", type: "password", required: true, extra: "autocomplete=\"off\"")}
        <button type="submit">Sign in</button>
        </form>
        """), status);
}
