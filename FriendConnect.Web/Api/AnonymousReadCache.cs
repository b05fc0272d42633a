using FriendConnect.Domain.Live;
using Microsoft.AspNetCore.OutputCaching;

namespace FriendConnect.Web.Api;

/// <summary>
/// Anonymous reads of public data (the directory, profiles, status histories, friends lists) answer from the output
/// cache. Each cached answer is tagged with every person it shows, and the list pages with the directory; the
/// moment a change that alters what a visitor sees commits, <see cref="AnonymousReadEviction"/> evicts those tags, so a
/// hidden status or a privacy change is never served from the cache. Signed-in reads are never cached
/// (the output cache's default policy skips authenticated requests), so nothing is shared between viewers.
/// </summary>
public static class AnonymousReadCache
{
    public const string PolicyName = "AnonymousRead";
    public const string SectionName = "OutputCache";
    public const string DirectoryTag = "fc-directory";

    public static string UserTag(string userId) => "fc-user:" + userId;

    public static IHostApplicationBuilder AddAnonymousReadCache(this IHostApplicationBuilder builder)
    {
        // Only a new account has no event: it appears in a visitor's cached directory page within this lifetime.
        var lifetime = builder.Configuration.GetValue($"{SectionName}:AnonymousReadLifetime", TimeSpan.FromSeconds(60));
        builder.Services.AddOutputCache(options => options.AddPolicy(PolicyName, policy => policy.Expire(lifetime)));
        builder.Services.AddSingleton<ICommittedEventObserver, AnonymousReadEviction>();
        return builder;
    }

    public static TBuilder CacheAnonymousRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.CacheOutput(PolicyName);

    /// <summary>Tags the answer being cached with the people it shows (and the directory, for a list of it).</summary>
    public static void Shows(HttpContext context, IEnumerable<string> userIds, bool directory = false)
    {
        if (context.Features.Get<IOutputCacheFeature>() is not { } feature) return;
        if (directory) feature.Context.Tags.Add(DirectoryTag);
        foreach (var id in userIds) feature.Context.Tags.Add(UserTag(id));
    }
}

/// <summary>Evicts what a visitor could see of the people a committed change touched.</summary>
public sealed class AnonymousReadEviction(IOutputCacheStore store) : ICommittedEventObserver
{
    public async Task OnCommittedAsync(DomainEvent domainEvent)
    {
        foreach (var tag in TagsFor(domainEvent))
            await store.EvictByTagAsync(tag, default);
    }

    private static IEnumerable<string> TagsFor(DomainEvent domainEvent) => domainEvent switch
    {
        StatusPosted e => [User(e.AuthorId)],
        StatusHidden e => [User(e.AuthorId)],
        // Privacy decides who appears in the directory; a new name or a suspension changes the list too.
        PrivacyChanged e => [User(e.UserId), AnonymousReadCache.DirectoryTag],
        ProfileChanged e => [User(e.UserId), AnonymousReadCache.DirectoryTag],
        SessionsEnded e => [User(e.UserId), AnonymousReadCache.DirectoryTag],
        AccountDeleted e => [User(e.UserId), AnonymousReadCache.DirectoryTag, .. e.FriendIds.Select(User)],
        // Friend counts and friends lists.
        FriendRequestAnswered { Accepted: true } e => [User(e.FromUserId), User(e.ToUserId)],
        Unfriended e => [User(e.UserId), User(e.FriendId)],
        FriendshipRestored e => [User(e.UserId), User(e.FriendId)],
        // The avatar address every list and profile carries.
        ProfilePhotoChanged e => [User(e.UserId), AnonymousReadCache.DirectoryTag],
        Blocked e => [User(e.BlockerId), User(e.BlockedId)],
        _ => [],
    };

    private static string User(string userId) => AnonymousReadCache.UserTag(userId);
}
