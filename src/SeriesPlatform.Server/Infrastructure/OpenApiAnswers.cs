using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SeriesPlatform.Server.Infrastructure;

/// <summary>
/// What the OpenAPI document cannot see in the handlers: they answer through the command workflow
/// with a status chosen at run time, and errors come from exceptions mapped to problem+json. So
/// routes that create say so (<see cref="Creates"/>), and every API operation lists the problems
/// it can answer with, by what it does.
/// </summary>
public static class OpenApiAnswers
{
    /// <summary>Endpoint metadata: the route's success is 201 Created.</summary>
    public sealed class CreatesResource;

    private static readonly CreatesResource Created = new();

    public static RouteHandlerBuilder Creates(this RouteHandlerBuilder route) => route.WithMetadata(Created);

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        if (description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true) return Task.CompletedTask;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var responses = operation.Responses ??= [];
        if (metadata.OfType<CreatesResource>().Any() && responses.Remove("200", out var ok))
        {
            if (ok is OpenApiResponse success) success.Description = "Created (Location and ETag name the new resource).";
            responses["201"] = ok;
        }
        var writes = description.HttpMethod is "POST" or "PUT" or "PATCH" or "DELETE";
        if (writes || operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
            Problem(responses, "400", "Malformed input: `errors` maps each field to what is wrong with it.");
        if (metadata.OfType<IAuthorizeData>().Any())
        {
            Problem(responses, "401", "No API key, or an unknown or revoked one.");
            Problem(responses, "403", "The key's role may not do this, or the key is limited to another series.");
        }
        if (description.RelativePath.Contains('{')) Problem(responses, "404", "The series, edition or item does not exist.");
        if (writes)
        {
            Problem(responses, "409", "It exists already, or If-Match named a version that is no longer current (`currentVersion` says which is).");
            Problem(responses, "422", "A business rule says no: `code` names it (slot-overlap, registration-closed, ...).");
        }
        Problem(responses, "429", "Too many requests: Retry-After says when to try again.");
        return Task.CompletedTask;
    }

    private static void Problem(OpenApiResponses responses, string status, string text) =>
        responses.TryAdd(status, new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
            },
        });
}
