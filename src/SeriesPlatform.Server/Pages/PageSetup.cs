using Microsoft.AspNetCore.Antiforgery;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Pages.Admin;
using SeriesPlatform.Server.Pages.History;
using SeriesPlatform.Server.Pages.Public;

namespace SeriesPlatform.Server.Pages;

public static class PageSetup
{
    /// <summary>No inline script or style anywhere: everything the pages need comes from this origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static bool IsPage(PathString path) => !path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi")
        && !path.StartsWithSegments("/health");

    /// <summary>
    /// Security headers on every page, and HTML instead of problem+json when a page fails for a
    /// reason the visitor caused (unknown edition, bad asOf, a form without its CSRF token).
    /// Runs inside the exception handler and status-code pages, so it answers first.
    /// </summary>
    public static IApplicationBuilder UsePages(this IApplicationBuilder app) =>
        app.Use((http, next) => IsPage(http.Request.Path) ? PageAsync(http, next) : next(http)); // API calls pass straight through

    private static async Task PageAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "same-origin";
            h.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        try
        {
            await next(http);
        }
        catch (Exception ex) when (!http.Response.HasStarted && Refusal(ex) is { } page)
        {
            http.Response.Clear();
            await page.ExecuteAsync(http);
            return;
        }
        if (http.Response.StatusCode == 404 && !http.Response.HasStarted && http.Response.ContentLength is null && http.Response.ContentType is null)
            await Layout.Problem(404, "Page not found", "There is no page at this address.").ExecuteAsync(http);
    }

    private static Page? Refusal(Exception ex) => ex switch
    {
        NotFound or EntityNotFound => Layout.Problem(404, "Not found", ex.Message),
        Auth.Forbidden => Layout.Problem(403, "Not allowed", ex.Message),
        ValidationFailed v => Layout.Problem(400, "Bad request", string.Join(" ", v.Errors.SelectMany(e => e.Value))),
        AntiforgeryValidationException => Layout.Problem(400, "Form expired",
            "The form was sent without a valid security token (it may be old, or come from another site). Reload the page and try again."),
        BadHttpRequestException b => Layout.Problem(b.StatusCode, "Bad request", "The request could not be read."),
        _ => null,
    };

    public static void MapPages(this IEndpointRouteBuilder app)
    {
        app.MapAssets();
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapCatalog();
        pages.MapSeriesPage();
        pages.MapEditionPage();
        pages.MapTalkPage();
        pages.MapSignIn();
        pages.MapReleasesPage();
        pages.MapSearchPage();
        pages.MapPersonPage();
        pages.MapChartsPage();
        var admin = app.MapGroup("/admin").ExcludeFromDescription().RequireAuthorization(AdminAuth.Policy)
            .AddEndpointFilter(async (ctx, next) =>
            {
                // Every cookie-authenticated form carries the antiforgery token; checked before any handler runs.
                if (HttpMethods.IsPost(ctx.HttpContext.Request.Method))
                    await ctx.HttpContext.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(ctx.HttpContext);
                return await next(ctx);
            });
        admin.MapSignOut();
        admin.MapAdminHome();
        admin.MapAdminSeries();
        admin.MapAdminEdition();
        admin.MapScheduleTalk();
        admin.MapEditTalk();
        admin.MapAdminBreakouts();
        admin.MapAdminRegistrations();
        admin.MapAuditPage();
        admin.MapAdminWebhooks();
        admin.MapProjectionRebuild();
    }
}
