using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages;

/// <summary>
/// A whole page: the shared layout around <see cref="Main"/>. The header shows who is signed in,
/// which needs the admin cookie even on public pages (their endpoints authenticate with API keys
/// only), so the cookie is read here, when the page is written.
/// </summary>
public sealed class Page(string title, Html main, int status = 200) : IResult
{
    public string Title { get; } = title;
    public Html Main { get; } = main;
    public int Status { get; } = status;

    public async Task ExecuteAsync(HttpContext http)
    {
        var admin = await AdminAuth.CurrentAsync(http);
        // The sign-out form's token is bound to the user the sign-out endpoint will see: the admin.
        if (admin is not null) http.User = admin;
        var body = Layout.Render(http, Title, Main, admin);
        http.Response.StatusCode = Status;
        http.Response.ContentType = "text/html; charset=utf-8";
        // Pages can show admin data; they must not be served from a shared cache.
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(body.ToString(), Encoding.UTF8);
    }
}

public static class Layout
{
    public const string SiteName = "SeriesPlatform";

    public static Html Render(HttpContext http, string title, Html main, ClaimsPrincipal? admin)
    {
        var account = admin is null
            ? H($"""<li><a href="/admin/sign-in">Admin sign-in</a></li>""")
            : H($"""
                <li><a href="/admin">Admin</a></li>
                <li><form method="post" action="/admin/sign-out" class="inline">{Forms.Csrf(http)}<button type="submit" class="link">Sign out {admin.Identity?.Name}</button></form></li>
                """);
        return H($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · {SiteName}</title>
            <link rel="stylesheet" href="{Assets.StylesheetPath}">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <p class="brand"><a href="/">{SiteName}</a></p>
            <nav aria-label="Site">
            <ul>
            <li><a href="/">Series</a></li>
            <li><a href="/search">Search</a></li>
            <li><a href="/stats">Statistics</a></li>
            {account}
            </ul>
            </nav>
            </header>
            <main id="main" tabindex="-1">
            {main}
            </main>
            <footer class="site">
            <p>Recurring scientific workshop series · times are shown in each edition's own time zone · <a href="/openapi/v1.json">API</a></p>
            </footer>
            </body>
            </html>
            """);
    }

    /// <summary>A page that only says what went wrong (404, 400, 403).</summary>
    public static Page Problem(int status, string heading, string message) =>
        new(heading, H($"""
            <h1>{heading}</h1>
            <p>{message}</p>
            <p><a href="/">Back to the series catalog</a></p>
            """), status);
}

internal static class AuthenticateResultExtensions
{
    public static ClaimsPrincipal? AdminPrincipal(this AuthenticateResult result) =>
        result.Succeeded && result.Principal.IsInRole(Auth.Roles.Admin) ? result.Principal : null;
}
