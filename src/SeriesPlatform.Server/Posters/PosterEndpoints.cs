using SeriesPlatform.Domain;
using SeriesPlatform.Server.Auth;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Editions;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Talks;

namespace SeriesPlatform.Server.Posters;

public static class PosterEndpoints
{
    public sealed record SubmitPosterBody(Guid? SessionId, string? Title, List<TalkEndpoints.SpeakerBody>? Authors);
    public sealed record PrizeBody(string? Prize);

    public static void MapPosters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/editions/{id:guid}/posters").WithTags("Posters");
        group.MapGet("/", async (Guid id, CommandHandler handler, CancellationToken ct) =>
            TypedResults.Ok((await EditionEndpoints.Load(handler, id, ct)).Posters.Values.OrderBy(p => p.Title).ToList()));
        group.MapPost("/", (Guid id, SubmitPosterBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
        {
            var command = new SubmitPoster(Guid.CreateVersion7(), body.SessionId, body.Title ?? "", TalkEndpoints.Speakers(body.Authors));
            return EditionEndpoints.Run(http, handler, id, command, body, ct, 201, e => e.Posters[command.PosterId],
                _ => $"/api/editions/{id}/posters/{command.PosterId}");
        }).RequireAuthorization(Policies.Admin).Creates();
        group.MapPost("/{posterId:guid}/prizes", (Guid id, Guid posterId, PrizeBody body, HttpContext http, CommandHandler handler, CancellationToken ct) =>
            EditionEndpoints.Run(http, handler, id, new AwardPosterPrize(posterId, body.Prize ?? ""), body, ct, 201, e => e.Posters[posterId]))
            .RequireAuthorization(Policies.Admin).Creates();
    }
}
