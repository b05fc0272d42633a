using System.Security.Claims;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Statuses;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendConnect.Web.Api;

public sealed record MyProfile(UserProfile Profile, string? Email, PrivacySettings Privacy);
public sealed record UpdateMeRequest(string? DisplayName);

public static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapGet("/", async Task<Ok<CursorPage<UserWithRelation>>> (
                ClaimsPrincipal principal, UserDirectory directory, HttpContext context, string? search, string? cursor, int? limit) =>
            {
                var page = await directory.SearchAfterAsync(principal.OptionalUserId(), search, cursor, limit ?? 20);
                AnonymousReadCache.Shows(context, page.Items.Select(i => i.User.Id), directory: true);
                return TypedResults.Ok(CursorPages.Of(page.Items, page.Next, context));
            })
            .AllowAnonymous()
            .CacheAnonymousRead()
            .WithName("ListUsers").WithSummary("The directory: search by username prefix or display name, paged with a cursor");

        users.MapGet("/{userName}", async Task<Results<Ok<UserProfile>, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, HttpContext context) =>
            {
                var result = await directory.GetProfileAsync(principal.OptionalUserId(), userName);
                if (result.Value is { } profile) AnonymousReadCache.Shows(context, [profile.User.Id, .. profile.MutualFriends.Select(f => f.Id)]);
                return result.Succeeded ? TypedResults.Ok(result.Value!) : DomainProblems.For(result.Error!, context);
            })
            .AllowAnonymous()
            .CacheAnonymousRead()
            .WithName("GetUser").WithSummary("A profile: status (as privacy allows), relation to me, mutual friends")
            .Fails(404)
            .WithETag();

        users.MapGet("/{userName}/friends", async Task<Results<Ok<CursorPage<UserSummary>>, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, HttpContext context, string? cursor, int? limit) =>
            {
                if (!CursorPages.TryParsePosition(cursor, out var skip)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var result = await directory.GetFriendsOfAsync(principal.OptionalUserId(), userName, skip, limit ?? 50);
                if (result.Value is { } friends)
                    AnonymousReadCache.Shows(context, [.. friends.Items.Select(f => f.Id), await directory.FindIdAsync(null, userName) ?? ""]);
                return result.Succeeded ? TypedResults.Ok(CursorPages.Of(result.Value!, skip, context)) : DomainProblems.For(result.Error!, context);
            })
            .AllowAnonymous()
            .CacheAnonymousRead()
            .WithName("ListUserFriends").WithSummary("Another user's friends, as their privacy setting allows")
            .Fails(400, 403, 404);

        users.MapGet("/{userName}/statuses", async Task<Results<Ok<CursorPage<FeedItem>>, ProblemHttpResult>> (
                string userName, ClaimsPrincipal principal, UserDirectory directory, StatusService statuses, HttpContext context,
                string? cursor, int? limit) =>
            {
                var viewerId = principal.OptionalUserId();
                var authorId = await directory.FindIdAsync(viewerId, userName);
                if (authorId is null) return DomainProblems.UserNotFound(userName);
                if (!FeedCursors.TryParse(cursor, out var after)) return DomainProblems.Field("cursor", "The cursor is not valid.", context);
                var page = await statuses.GetHistoryAsync(viewerId, authorId, after, limit ?? 20);
                AnonymousReadCache.Shows(context, [authorId]);
                return TypedResults.Ok(CursorPages.Of(page.Items, FeedCursors.Format(page.Next), context));
            })
            .AllowAnonymous()
            .CacheAnonymousRead()
            .WithName("ListUserStatuses").WithSummary("A user's status history, newest first, if their privacy lets me see it")
            .Fails(400, 404)
            .WithETag();

        var me = api.MapGroup("/me").WithTags("Me").RequireAuthorization(ApiExtensions.AuthPolicy);

        me.MapGet("/", async Task<Results<Ok<MyProfile>, ProblemHttpResult>> (
                ClaimsPrincipal principal, UserDirectory directory, PrivacyService privacy, HttpContext context) =>
            {
                var userId = principal.UserId();
                var userName = principal.Identity?.Name ?? "";
                var profile = await directory.GetProfileAsync(userId, userName);
                if (!profile.Succeeded) return DomainProblems.For(profile.Error!, context);
                return TypedResults.Ok(new MyProfile(profile.Value!, principal.FindFirstValue(ClaimTypes.Email), await privacy.GetSettingsAsync(userId)));
            })
            .WithName("GetMe").WithSummary("My profile and privacy settings")
            .WithETag();

        me.MapPatch("/", async Task<Results<NoContent, ProblemHttpResult>> (
                UpdateMeRequest request, ClaimsPrincipal principal, AccountService accounts, HttpContext context) =>
            {
                var result = await accounts.UpdateDisplayNameAsync(principal.UserId(), request.DisplayName);
                return result.Succeeded ? TypedResults.NoContent() : DomainProblems.For(result.Error!, context);
            })
            .WithName("UpdateMe").WithSummary("Change my display name")
            .Fails(400);

        me.MapGet("/privacy", async Task<Ok<PrivacySettings>> (ClaimsPrincipal principal, PrivacyService privacy) =>
                TypedResults.Ok(await privacy.GetSettingsAsync(principal.UserId())))
            .WithName("GetPrivacy").WithSummary("My privacy settings");

        me.MapPut("/privacy", async Task<Results<NoContent, ProblemHttpResult>> (
                PrivacySettings settings, ClaimsPrincipal principal, PrivacyService privacy, HttpContext context) =>
            {
                var result = await privacy.UpdateSettingsAsync(principal.UserId(), settings);
                return result.Succeeded ? TypedResults.NoContent() : DomainProblems.For(result.Error!, context);
            })
            .WithName("UpdatePrivacy").WithSummary("Replace my privacy settings")
            .Fails(400);
    }
}

/// <summary>Feed cursors travel as "ticks.id": opaque to clients, exact for keyset paging.</summary>
internal static class FeedCursors
{
    public static string? Format(FeedCursor? cursor) => cursor is null ? null : $"{cursor.CreatedAt.Ticks}.{cursor.Id}";

    public static bool TryParse(string? value, out FeedCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(value)) return true;
        var parts = value.Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || !long.TryParse(parts[1], out var id)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return false;
        cursor = new FeedCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
