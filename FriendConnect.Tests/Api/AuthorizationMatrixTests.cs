using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Api;

/// <summary>Who is calling, relative to the resource a row acts on.</summary>
public enum Caller
{
    /// <summary>The legitimate actor: the resource's owner (or, for moderation rows, the reporter/other user involved).</summary>
    Owner,
    /// <summary>The other party of the resource (request sender/addressee, the friend, the reported user).</summary>
    Counterpart,
    /// <summary>Another signed-in user with no relation to anything.</summary>
    Stranger,
    /// <summary>A user blocked by the owner or by the target of the call.</summary>
    Blocked,
    /// <summary>The factory's moderator (legitimate actor for moderation rows).</summary>
    Moderator,
    Anonymous,
}

/// <summary>
/// Every mutating endpoint under /api/v1 (except auth), called as each kind of caller. Each case builds a fresh
/// scene of four new users (owner, counterpart, stranger, blocked) through the API, snapshots the database, makes
/// the call and asserts the status; a refused call must leave the database exactly as it was, an accepted one
/// must have done what it says and touched no one else's data.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    public sealed class Scene
    {
        public required ApiUser Owner { get; init; }
        public required ApiUser Counterpart { get; init; }
        public required ApiUser Stranger { get; init; }
        public required ApiUser Blocked { get; init; }
        public required ApiUser Moderator { get; init; }
        public long Id { get; set; }

        public ApiUser? As(Caller caller) => caller switch
        {
            Caller.Owner => Owner,
            Caller.Counterpart => Counterpart,
            Caller.Stranger => Stranger,
            Caller.Blocked => Blocked,
            Caller.Moderator => Moderator,
            _ => null,
        };
    }

    private sealed record Call(HttpMethod Method, string Url, object? Body = null);

    private sealed record Row(
        string Name,
        Func<ApiFactory, Scene, Task> Arrange,
        Func<Scene, Caller, Call> Request,
        IReadOnlyDictionary<Caller, int> Expect,
        Func<ApiFactory, Scene, Caller, Task> VerifySuccess);

    private static readonly HttpMethod Post = HttpMethod.Post, Put = HttpMethod.Put, Patch = HttpMethod.Patch, Delete = HttpMethod.Delete;
    private static Task Nothing(ApiFactory app, Scene s) => Task.CompletedTask;

    private static Dictionary<Caller, int> Expect(params (Caller Caller, int Status)[] cases) => cases.ToDictionary(c => c.Caller, c => c.Status);

    private static Task<T> Q<T>(ApiFactory app, Func<FriendConnect.Domain.Data.FriendConnectDbContext, Task<T>> query) => app.QueryAsync(query);
    private static Task<bool> Friends(ApiFactory app, ApiUser a, ApiUser b) => Q(app, db => db.Friendships.AnyAsync(f => f.UserId == a.Id && f.FriendId == b.Id));
    private static Task<bool> Blocks(ApiFactory app, ApiUser a, ApiUser b) => Q(app, db => db.Blocks.AnyAsync(x => x.BlockerId == a.Id && x.BlockedId == b.Id));
    private static Task<string> DisplayName(ApiFactory app, ApiUser u) => Q(app, db => db.Users.Where(x => x.Id == u.Id).Select(x => x.DisplayName).SingleAsync());

    private static readonly Row[] Rows =
    [
        new("PATCH /me", Nothing,
            (s, c) => new(Patch, "/api/v1/me", new { displayName = "Renamed By Call" }),
            Expect((Caller.Owner, 204), (Caller.Stranger, 204), (Caller.Anonymous, 401)),
            async (app, s, c) =>
            {
                Assert.Equal("Renamed By Call", await DisplayName(app, s.As(c)!));
                if (c != Caller.Owner) Assert.Equal($"User {s.Owner.UserName}", await DisplayName(app, s.Owner));
            }),

        new("PUT /me/privacy", Nothing,
            (s, c) => new(Put, "/api/v1/me/privacy", new { whoCanSendRequests = "Nobody", whoSeesStatus = "Friends", whoSeesFriends = "OnlyMe", showInDirectory = false }),
            Expect((Caller.Owner, 204), (Caller.Stranger, 204), (Caller.Anonymous, 401)),
            async (app, s, c) =>
            {
                var caller = s.As(c)!;
                Assert.False(await Q(app, db => db.Users.Where(u => u.Id == caller.Id).Select(u => u.Privacy.ShowInDirectory).SingleAsync()));
                if (c != Caller.Owner) Assert.True(await Q(app, db => db.Users.Where(u => u.Id == s.Owner.Id).Select(u => u.Privacy.ShowInDirectory).SingleAsync()));
            }),

        new("POST /statuses", Nothing,
            (s, c) => new(Post, "/api/v1/statuses", new { text = "matrix status" }),
            Expect((Caller.Owner, 201), (Caller.Stranger, 201), (Caller.Anonymous, 401)),
            async (app, s, c) =>
            {
                var caller = s.As(c)!;
                Assert.Equal(1, await Q(app, db => db.StatusUpdates.CountAsync(x => x.AuthorId == caller.Id)));
                if (c != Caller.Owner) Assert.Equal(0, await Q(app, db => db.StatusUpdates.CountAsync(x => x.AuthorId == s.Owner.Id)));
            }),

        // The owner is the addressee: a stranger may ask; a friend already is one (409); someone the owner blocked
        // sees "no such user" (404); the owner cannot ask themselves (400).
        new("POST /friend-requests", async (app, s) => { await s.Owner.BlockAsync(s.Blocked); await s.Owner.BefriendAsync(s.Counterpart); },
            (s, c) => new(Post, "/api/v1/friend-requests", new { userName = s.Owner.UserName }),
            Expect((Caller.Stranger, 200), (Caller.Owner, 400), (Caller.Counterpart, 409), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.True(await Q(app, db => db.FriendRequests.AnyAsync(r =>
                r.FromUserId == s.Stranger.Id && r.ToUserId == s.Owner.Id && r.State == FriendRequestState.Pending)))),

        new("POST /friend-requests/{id}/accept",
            async (app, s) => { s.Id = await s.Counterpart.SendRequestAsync(s.Owner); await s.Owner.BlockAsync(s.Blocked); },
            (s, c) => new(Post, $"/api/v1/friend-requests/{s.Id}/accept"),
            Expect((Caller.Owner, 204), (Caller.Counterpart, 403), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.True(await Friends(app, s.Owner, s.Counterpart) && await Friends(app, s.Counterpart, s.Owner))),

        new("POST /friend-requests/{id}/decline",
            async (app, s) => { s.Id = await s.Counterpart.SendRequestAsync(s.Owner); await s.Owner.BlockAsync(s.Blocked); },
            (s, c) => new(Post, $"/api/v1/friend-requests/{s.Id}/decline"),
            Expect((Caller.Owner, 204), (Caller.Counterpart, 403), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Equal(FriendRequestState.Declined, await Q(app, db => db.FriendRequests.Where(r => r.Id == s.Id).Select(r => r.State).SingleAsync()))),

        new("DELETE /friend-requests/{id}",
            async (app, s) => { s.Id = await s.Owner.SendRequestAsync(s.Counterpart); await s.Owner.BlockAsync(s.Blocked); },
            (s, c) => new(Delete, $"/api/v1/friend-requests/{s.Id}"),
            Expect((Caller.Owner, 204), (Caller.Counterpart, 403), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Equal(FriendRequestState.Cancelled, await Q(app, db => db.FriendRequests.Where(r => r.Id == s.Id).Select(r => r.State).SingleAsync()))),

        new("DELETE /friends/{userName}",
            async (app, s) => { await s.Owner.BefriendAsync(s.Counterpart); await s.Counterpart.BlockAsync(s.Blocked); },
            (s, c) => new(Delete, $"/api/v1/friends/{s.Counterpart.UserName}"),
            Expect((Caller.Owner, 204), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.False(await Friends(app, s.Owner, s.Counterpart) || await Friends(app, s.Counterpart, s.Owner))),

        // Anyone may block anyone else, except someone who blocked them: to the blocked, the blocker does not exist (404).
        // Blocking yourself is 400.
        new("PUT /blocks/{userName}",
            async (app, s) => { await s.Owner.BefriendAsync(s.Counterpart); await s.Counterpart.BlockAsync(s.Blocked); },
            (s, c) => new(Put, $"/api/v1/blocks/{s.Counterpart.UserName}"),
            Expect((Caller.Owner, 204), (Caller.Stranger, 204), (Caller.Blocked, 404), (Caller.Counterpart, 400), (Caller.Anonymous, 401)),
            async (app, s, c) =>
            {
                Assert.True(await Blocks(app, s.As(c)!, s.Counterpart));
                // Only the owner's block ends the owner's friendship.
                Assert.Equal(c != Caller.Owner, await Friends(app, s.Owner, s.Counterpart));
            }),

        // The owner blocked "Blocked"; the blocked user cannot lift it (DELETE /blocks/{owner} finds no block of theirs).
        new("DELETE /blocks/{userName}",
            async (app, s) => await s.Owner.BlockAsync(s.Blocked),
            (s, c) => new(Delete, $"/api/v1/blocks/{(c == Caller.Blocked ? s.Owner.UserName : s.Blocked.UserName)}"),
            Expect((Caller.Owner, 204), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.False(await Blocks(app, s.Owner, s.Blocked))),

        new("PUT /mutes/{userName}",
            async (app, s) => { await s.Owner.BefriendAsync(s.Counterpart); await s.Counterpart.BlockAsync(s.Blocked); },
            (s, c) => new(Put, $"/api/v1/mutes/{s.Counterpart.UserName}"),
            Expect((Caller.Owner, 204), (Caller.Stranger, 400), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.True(await Q(app, db => db.Mutes.AnyAsync(m => m.UserId == s.Owner.Id && m.MutedId == s.Counterpart.Id)))),

        // The muted friend cannot unmute themselves (DELETE /mutes/{owner} finds no mute of theirs).
        new("DELETE /mutes/{userName}",
            async (app, s) => { await s.Owner.BefriendAsync(s.Counterpart); await s.Owner.MuteAsync(s.Counterpart); await s.Counterpart.BlockAsync(s.Blocked); },
            (s, c) => new(Delete, $"/api/v1/mutes/{(c == Caller.Counterpart ? s.Owner.UserName : s.Counterpart.UserName)}"),
            Expect((Caller.Owner, 204), (Caller.Counterpart, 404), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.False(await Q(app, db => db.Mutes.AnyAsync(m => m.UserId == s.Owner.Id)))),

        // Reporting the counterpart: anyone signed in may, even someone the counterpart blocked; not oneself.
        new("POST /reports",
            async (app, s) => await s.Counterpart.BlockAsync(s.Blocked),
            (s, c) => new(Post, "/api/v1/reports", new { userName = s.Counterpart.UserName, reason = "Spam", details = "matrix" }),
            // Reporting someone who blocked you answers as reporting no one.
            Expect((Caller.Owner, 200), (Caller.Stranger, 200), (Caller.Blocked, 404), (Caller.Counterpart, 400), (Caller.Anonymous, 401)),
            async (app, s, c) =>
            {
                var caller = s.As(c)!;
                Assert.Equal(1, await Q(app, db => db.Reports.CountAsync(r => r.ReporterId == caller.Id && r.TargetUserId == s.Counterpart.Id)));
                Assert.Equal(1, await Q(app, db => db.Reports.CountAsync(r => r.TargetUserId == s.Counterpart.Id)));
            }),

        // A notification of the owner's: nobody else may mark it (404, as for an id that does not exist).
        new("POST /notifications/{id}/read",
            async (app, s) =>
            {
                await s.Counterpart.SendRequestAsync(s.Owner);
                await s.Owner.BlockAsync(s.Blocked);
                s.Id = (long)(await s.Owner.NotificationsAsync())[0]!["id"]!;
            },
            (s, c) => new(Post, $"/api/v1/notifications/{s.Id}/read"),
            Expect((Caller.Owner, 204), (Caller.Counterpart, 404), (Caller.Stranger, 404), (Caller.Blocked, 404), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.NotNull(await Q(app, db => db.Notifications.Where(n => n.Id == s.Id).Select(n => n.ReadAt).SingleAsync()))),

        new("POST /notifications/read-all",
            async (app, s) => await s.Counterpart.SendRequestAsync(s.Owner),
            (s, c) => new(Post, "/api/v1/notifications/read-all"),
            Expect((Caller.Owner, 204), (Caller.Stranger, 204), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Equal(c == Caller.Owner ? 0 : 1,
                await Q(app, db => db.Notifications.CountAsync(n => n.RecipientId == s.Owner.Id && n.ReadAt == null)))),

        new("POST /moderation/reports/{id}/dismiss",
            async (app, s) => s.Id = await s.Owner.ReportAsync(app, s.Counterpart),
            (s, c) => new(Post, $"/api/v1/moderation/reports/{s.Id}/dismiss"),
            Expect((Caller.Moderator, 204), (Caller.Owner, 403), (Caller.Counterpart, 403), (Caller.Stranger, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Equal(ReportState.Dismissed, await Q(app, db => db.Reports.Where(r => r.Id == s.Id).Select(r => r.State).SingleAsync()))),

        new("POST /moderation/reports/{id}/hide-status",
            async (app, s) => { var status = await s.Counterpart.PostStatusAsync("reported"); s.Id = await s.Owner.ReportAsync(app, s.Counterpart, status); },
            (s, c) => new(Post, $"/api/v1/moderation/reports/{s.Id}/hide-status"),
            Expect((Caller.Moderator, 204), (Caller.Owner, 403), (Caller.Counterpart, 403), (Caller.Stranger, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.True(await Q(app, db => db.StatusUpdates.Where(x => x.AuthorId == s.Counterpart.Id).Select(x => x.IsHidden).SingleAsync()))),

        new("POST /moderation/reports/{id}/remove-photo",
            async (app, s) =>
            {
                var photo = FriendConnect.Tests.Photos.TestImages.Jpeg(64, 64);
                await app.Services.GetRequiredService<FriendConnect.Domain.Photos.PhotoService>().UploadAsync(s.Counterpart.Id, new MemoryStream(photo), photo.Length);
                await Http.JsonAsync(await s.Owner.PostAsync("/api/v1/reports", new { userName = s.Counterpart.UserName, reason = "Spam", photo = true }));
                s.Id = await Q(app, db => db.Reports.Where(r => r.ReporterId == s.Owner.Id && r.SubjectKey == "photo").Select(r => r.Id).SingleAsync());
            },
            (s, c) => new(Post, $"/api/v1/moderation/reports/{s.Id}/remove-photo"),
            Expect((Caller.Moderator, 204), (Caller.Owner, 403), (Caller.Counterpart, 403), (Caller.Stranger, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Null(await Q(app, db => db.Users.Where(u => u.Id == s.Counterpart.Id).Select(u => u.PhotoVersion).SingleAsync()))),

        new("POST /moderation/users/{userName}/suspend", Nothing,
            (s, c) => new(Post, $"/api/v1/moderation/users/{s.Counterpart.UserName}/suspend", new { days = 3, reason = "matrix" }),
            Expect((Caller.Moderator, 204), (Caller.Owner, 403), (Caller.Counterpart, 403), (Caller.Stranger, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.NotNull(await Q(app, db => db.Users.Where(u => u.Id == s.Counterpart.Id).Select(u => u.SuspendedUntil).SingleAsync()))),

        new("DELETE /moderation/users/{userName}/suspension",
            async (app, s) => await s.Moderator.SuspendAsync(s.Counterpart),
            (s, c) => new(Delete, $"/api/v1/moderation/users/{s.Counterpart.UserName}/suspension"),
            Expect((Caller.Moderator, 204), (Caller.Counterpart, 403), (Caller.Stranger, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.Null(await Q(app, db => db.Users.Where(u => u.Id == s.Counterpart.Id).Select(u => u.SuspendedUntil).SingleAsync()))),

        new("POST /moderation/moderators", Nothing,
            (s, c) => new(Post, "/api/v1/moderation/moderators", new { userName = s.Stranger.UserName }),
            Expect((Caller.Moderator, 204), (Caller.Stranger, 403), (Caller.Owner, 403), (Caller.Anonymous, 401)),
            async (app, s, c) => Assert.True(await Q(app, db => db.UserRoles.AnyAsync(r => r.UserId == s.Stranger.Id)))),
    ];

    public static TheoryData<string, Caller, int> Cases()
    {
        var data = new TheoryData<string, Caller, int>();
        foreach (var row in Rows)
            foreach (var (caller, status) in row.Expect)
                data.Add(row.Name, caller, status);
        return data;
    }

    [Fact]
    public void The_matrix_covers_every_mutating_endpoint_outside_auth()
    {
        // Kept in step with OpenApiAndHealthTests.Endpoints: every POST/PUT/PATCH/DELETE there except /auth has a row.
        var mutating = OpenApiAndHealthTests.Endpoints
            .Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !e.Path.StartsWith("/api/v1/auth/"))
            .Select(e => $"{e.Method} {e.Path["/api/v1".Length..]}")
            .Order().ToList();
        Assert.Equal(mutating, Rows.Select(r => r.Name).Order().ToList());
        Assert.Equal(21, Rows.Length);
        Assert.Equal(92, Rows.Sum(r => r.Expect.Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Mutating_endpoint_answers_each_caller_and_refusals_change_nothing(string row, Caller caller, int expected)
    {
        var definition = Rows.Single(r => r.Name == row);
        var scene = new Scene
        {
            Owner = await app.RegisterAndLoginAsync(app.NewName("owner")),
            Counterpart = await app.RegisterAndLoginAsync(app.NewName("counter")),
            Stranger = await app.RegisterAndLoginAsync(app.NewName("stranger")),
            Blocked = await app.RegisterAndLoginAsync(app.NewName("blocked")),
            Moderator = app.Moderator,
        };
        await definition.Arrange(app, scene);
        var call = definition.Request(scene, caller);
        var before = await DbSnapshot.TakeAsync(app);

        using var request = Http.Request(call.Method, call.Url, call.Body, scene.As(caller)?.AccessToken);
        using var anonymous = app.Anonymous();
        var response = await anonymous.SendAsync(request);

        var after = await DbSnapshot.TakeAsync(app);
        var actual = (int)response.StatusCode;
        if (expected >= 400 || actual >= 400)
            DbSnapshot.AssertUnchanged(before, after, $"{row} as {caller} (answered {actual})");
        await Http.ExpectAsync(response, expected);
        if (expected < 400) await definition.VerifySuccess(app, scene, caller);
    }
}
