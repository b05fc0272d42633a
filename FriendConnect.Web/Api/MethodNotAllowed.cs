using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace FriendConnect.Web.Api;

/// <summary>
/// 405 with Allow for an API path called with a method it does not take. Routing answers that itself, except where
/// a GET-only catch-all (the static-asset fallback) shadows the path: then no endpoint matches and it would be 404.
/// </summary>
public static class MethodNotAllowed
{
    public static IApplicationBuilder UseMethodNotAllowedForApi(this IApplicationBuilder app)
    {
        var routes = new Lazy<IReadOnlyList<(TemplateMatcher Matcher, RoutePattern Pattern, IReadOnlyList<string> Methods)>>(() =>
            app.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith("/api/") == true)
                .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), e.RoutePattern,
                    (IReadOnlyList<string>)(e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])))
                .ToList());

        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && context.IsApiRequest())
            {
                var constraints = context.RequestServices.GetRequiredService<IInlineConstraintResolver>();
                var allowed = routes.Value.Where(route => Matches(route.Matcher, route.Pattern, context, constraints))
                    .SelectMany(route => route.Methods).Distinct().ToList();
                if (allowed.Count > 0)
                {
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    context.Response.Headers.Allow = string.Join(", ", allowed);
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                    {
                        HttpContext = context,
                        ProblemDetails = { Status = 405, Title = "Method not allowed.", Detail = $"This resource takes {string.Join(", ", allowed)}." },
                    });
                    return;
                }
            }
            await next(context);
        });
    }

    private static bool Matches(TemplateMatcher matcher, RoutePattern pattern, HttpContext context, IInlineConstraintResolver constraints)
    {
        var values = new RouteValueDictionary();
        if (!matcher.TryMatch(context.Request.Path, values)) return false;
        return pattern.ParameterPolicies.All(parameter => parameter.Value.All(policy =>
            policy.Content is null || constraints.ResolveConstraint(policy.Content) is not { } constraint
            || constraint.Match(context, null, parameter.Key, values, RouteDirection.IncomingRequest)));
    }
}
