using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using FriendConnect.Domain.Data;
using FriendConnect.Web.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Scalar.AspNetCore;

namespace FriendConnect.Web.Api;

/// <summary>The REST API v1: the same domain services as the UI, for scripts and other clients.</summary>
public static class ApiExtensions
{
    public const string AuthPolicy = "Api";
    public const string RateLimitPolicy = "Api";
    public const int MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddFriendConnectApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Malformed JSON, wrong types, unknown enum values, oversized bodies: say what was wrong, as a 4xx.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Title = "The request could not be read.";
                context.ProblemDetails.Detail = bad.InnerException is System.Text.Json.JsonException json
                    ? $"The body is not valid JSON for this request: {json.Message}"
                    : bad.Message;
            }
        });
        // Binding failures become exceptions in every environment, so the handler below can describe them.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            // Numbers are JSON numbers: the document then says "integer", not "integer or string", and clients generate numbers.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicy, policy => policy
                .AddAuthenticationSchemes(SessionAuthentication.Scheme)
                .RequireAuthenticatedUser());

        var perMinute = builder.Configuration.GetValue("Api:RequestsPerMinute", 600);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Auth.ClientNetwork.KeyOf(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds." },
                });
            };
        });

        builder.AddAnonymousReadCache();

        services.AddHealthChecks().AddDbContextCheck<FriendConnectDbContext>("database", tags: ["ready"]);

        services.AddOpenApi("v1", options => options.DescribeFriendConnectApi());
        return builder;
    }

    public static WebApplication MapFriendConnectApi(this WebApplication app)
    {
        app.UseMethodNotAllowedForApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("FriendConnect API"));

        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        var api = app.MapGroup("/api/v1")
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBodyBytes))
            .DisableAntiforgery()
            .DeclarePipelineFailures();
        api.MapAuthApi();
        api.MapUsersApi();
        api.MapFriendRequestsApi();
        api.MapFriendsApi();
        api.MapStatusesApi();
        api.MapNotificationsApi();
        api.MapBlocksApi();
        api.MapMutesApi();
        api.MapReportsApi();
        api.MapModerationApi();
        api.MapEventsApi();
        return app;
    }

    internal static bool IsApiRequest(this HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
