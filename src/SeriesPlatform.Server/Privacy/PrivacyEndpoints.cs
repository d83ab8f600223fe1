using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Privacy;

public static class PrivacyEndpoints
{
    public sealed record ForgetBody(string? Email);

    public static void MapPrivacy(this IEndpointRouteBuilder app)
    {
        // Right to erasure: the person's key is destroyed; their registrations stay counted as "a forgotten attendee".
        app.MapPost("/api/privacy/forget", async (ForgetBody body, PersonalDataVault vault, CancellationToken ct) =>
        {
            // The same checks as registering: an email that could not register cannot be forgotten either.
            if (new Domain.RegisterAttendee(Guid.NewGuid(), "-", body.Email ?? "").Validate() is { } errors && errors.ContainsKey("email"))
                throw ValidationFailed.One("email", "The email address of the person to forget is required.");
            var forgotten = await vault.ForgetAsync(body.Email!, ct);
            return TypedResults.Ok(new { forgotten });
        }).WithTags("Privacy").RequireAuthorization(Policies.PlatformAdmin);
    }
}
