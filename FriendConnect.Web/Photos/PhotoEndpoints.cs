using System.Security.Claims;
using FriendConnect.Domain.Photos;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;

namespace FriendConnect.Web.Photos;

/// <summary>
/// Serves profile photos at versioned addresses. A version's files never change, so they are cached for a year; a
/// new photo is a new address. A viewer the audience rule hides the person from gets the same 404 as for no photo.
/// </summary>
public static class PhotoEndpoints
{
    public const string CacheForever = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/photos/{userId}/{version}/{size:int}.webp", async Task<IResult> (
                string userId, string version, int size, HttpContext context, PhotoService photos, CancellationToken ct) =>
            {
                var viewerId = await ViewerIdAsync(context);
                var file = await photos.FindFileAsync(viewerId, userId, version, size, ct);
                if (file is null)
                {
                    // An empty 404 (not the app's not-found page), and never cached: the answer depends on who asks.
                    context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
                    context.Response.Headers.CacheControl = "no-store";
                    return TypedResults.NotFound();
                }
                context.Response.Headers.CacheControl = CacheForever;
                return TypedResults.PhysicalFile(file, "image/webp");
            })
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The signed-in viewer by the app's cookie or, for API clients, a bearer token; null for a visitor.</summary>
    private static async Task<string?> ViewerIdAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true) return context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var bearer = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        return bearer.Succeeded ? bearer.Principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;
    }
}
