using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FriendConnect.Web.Api;

/// <summary>
/// What /openapi/v1.json tells client developers beyond the endpoints themselves: the failures every operation
/// can meet (from the pipeline in front of it), tags with descriptions, a license, and a server URL a client can use.
/// </summary>
public static class ApiDocumentation
{
    public const string ProblemJson = "application/problem+json";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Auth", "Register, sign in for an access token, and refresh it."),
        ("Users", "The directory and people's profiles, friends and status histories, as their privacy settings allow."),
        ("Me", "The signed-in user's own profile and privacy settings."),
        ("Friend requests", "Asking someone to be friends, and answering such requests."),
        ("Friends", "The signed-in user's friends."),
        ("Statuses", "Posting a status and reading the friends' feed."),
        ("Notifications", "What happened to me: requests, acceptances, new statuses from friends."),
        ("Blocks", "People the signed-in user has blocked: neither sees the other."),
        ("Mutes", "Friends the signed-in user has muted: they stay friends, their news stays out of sight."),
        ("Reports", "Telling the moderators about a person or a status."),
        ("Moderation", "The moderators' queue, suspensions and the moderator role."),
        ("Events", "A Server-Sent Events stream of the signed-in user's notifications and changes."),
    ];

    /// <summary>Declares the problem responses an endpoint's own rules can give (not those of the pipeline, added below).</summary>
    public static TBuilder Fails<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest) builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(HttpValidationProblemDetails), [ProblemJson]));
            else builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemJson]));
        }
        return builder;
    }

    /// <summary>
    /// Declares, on every API endpoint, the failures the pipeline in front of it gives: 429 from the rate limiter,
    /// 401 where sign-in is required, 403 for a cross-site cookie write, 400/413/415 for a JSON body, 400 for a query
    /// value of the wrong type. Runs after each endpoint's own conventions, so it sees their metadata.
    /// </summary>
    public static RouteGroupBuilder DeclarePipelineFailures(this RouteGroupBuilder api)
    {
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            var declared = metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            void Add(int status, Type type)
            {
                if (declared.Add(status)) metadata.Add(new ProducesResponseTypeMetadata(status, type, [ProblemJson]));
            }

            var methods = metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var changesState = methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m));
            var readsJson = metadata.OfType<IAcceptsMetadata>().Any(a => a.RequestType is not null);
            var requiresSignIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
            var readsTypedQuery = metadata.OfType<System.Reflection.MethodInfo>().Any(method => method.GetParameters().Any(p =>
                    Nullable.GetUnderlyingType(p.ParameterType) is { } inner && (inner == typeof(int) || inner == typeof(long))));

            if (readsJson || readsTypedQuery) Add(StatusCodes.Status400BadRequest, typeof(ProblemDetails));
            if (requiresSignIn) Add(StatusCodes.Status401Unauthorized, typeof(ProblemDetails));
            if (changesState) Add(StatusCodes.Status403Forbidden, typeof(ProblemDetails));
            if (readsJson)
            {
                Add(StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails));
                Add(StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails));
            }
            Add(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails));
        });
        return api;
    }

    public static OpenApiOptions DescribeFriendConnectApi(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = "FriendConnect API";
            document.Info.Version = "v1";
            document.Info.Description = "Friends, friend requests, status updates and notifications. Sign in with POST /api/v1/auth/login and send the access token as 'Authorization: Bearer <token>'; a browser that is signed in uses its cookie. "
                + "Every failure is an RFC 9457 problem details body (application/problem+json). FriendConnect is open source under the MIT license.";
            document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };

            // The server is the address the client called (through a proxy: the one it forwarded), without a trailing slash.
            foreach (var server in document.Servers ?? [])
                server.Url = server.Url?.TrimEnd('/');

            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An access token from POST /api/v1/auth/login.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        });

        // A property that is never null is always there: say so, so generated clients need no null checks for it.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 }) return Task.CompletedTask;
            foreach (var property in context.JsonTypeInfo.Properties)
                if (!property.IsGetNullable && schema.Properties.TryGetValue(property.Name, out var value))
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(property.Name);
                    if (value is OpenApiSchema { Type: { } type } inline) inline.Type = type & ~JsonSchemaType.Null;
                }
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            if (operation.Responses?.TryGetValue("429", out var limited) == true && limited is OpenApiResponse response)
            {
                response.Description = "Too many requests: wait as long as Retry-After says.";
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                };
            }
            foreach (var (status, description) in Descriptions)
                if (operation.Responses?.TryGetValue(status, out var declared) == true && declared is OpenApiResponse problem
                    && (string.IsNullOrEmpty(problem.Description) || problem.Description is "Bad Request" or "Unauthorized" or "Forbidden" or "Not Found" or "Conflict"
                        or "Payload Too Large" or "Content Too Large" or "Unsupported Media Type"))
                    problem.Description = description;
            return Task.CompletedTask;
        });
        return options;
    }

    private static readonly (string Status, string Description)[] Descriptions =
    [
        ("400", "The request is invalid: a field, a query value or the JSON body; errors names the fields."),
        ("401", "Not signed in, or the token or session has ended."),
        ("403", "Not allowed: the rules forbid it, or a cookie-authenticated write came from another site."),
        ("404", "No such resource, or one hidden from the caller."),
        ("409", "The resource is not in a state that allows this."),
        ("413", "The request body is larger than 64 KB."),
        ("415", "The request body is not JSON."),
    ];
}
