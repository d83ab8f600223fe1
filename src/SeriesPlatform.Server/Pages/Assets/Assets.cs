using System.Security.Cryptography;

namespace SeriesPlatform.Server.Pages;

/// <summary>The stylesheet, embedded in the assembly: no CDN, no wwwroot to deploy, works offline.</summary>
public static class Assets
{
    private static readonly Lazy<(byte[] Bytes, string Version)> Css = new(() =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("SeriesPlatform.Pages.site.css")
            ?? throw new InvalidOperationException("site.css is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant());
    });

    /// <summary>Versioned by content, so browsers may cache it for good.</summary>
    public static string StylesheetPath => $"/assets/site.{Css.Value.Version}.css";

    public static void MapAssets(this IEndpointRouteBuilder app) =>
        app.MapGet("/assets/site.{version}.css", (string version, HttpContext http) =>
        {
            if (version != Css.Value.Version) return Results.Redirect(StylesheetPath);
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(Css.Value.Bytes, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
}
