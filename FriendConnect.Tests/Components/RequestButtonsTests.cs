using Bunit;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FriendConnect.Tests.Components;

public sealed class RequestButtonsTests : ComponentTestContext
{
    private FriendshipService Friendships => App.Get<FriendshipService>();

    public static TheoryData<Relation, bool, string[], string?> Relations => new()
    {
        { Relation.None, false, ["Add friend Bob"], null },
        { Relation.RequestSent, false, ["Cancel request to Bob"], "Request sent" },
        { Relation.RequestReceived, false, ["Accept friend request from Bob", "Decline friend request from Bob"], null },
        { Relation.Friend, true, ["Unfriend Bob"], "Friends" },
        { Relation.Friend, false, [], "Friends" },
        { Relation.Self, false, [], "You" },
    };

    [Theory]
    [MemberData(nameof(Relations))]
    public async Task Shows_the_actions_that_fit_the_relation(Relation relation, bool showUnfriend, string[] buttons, string? chip)
    {
        var bob = await App.CreateUserAsync("bob", "Bob");

        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, relation)
            .Add(x => x.RequestId, 1)
            .Add(x => x.ShowUnfriend, showUnfriend));

        Assert.Equal(buttons.Order(), cut.FindAll("button").Select(b => b.GetAttribute("aria-label") ?? "(no name)").Order());
        Assert.All(cut.FindAll("button"), b => Assert.False(b.HasAttribute("disabled")));
        if (chip is null)
            Assert.Empty(cut.FindAll(".mud-chip"));
        else
            Assert.Equal(chip, Assert.Single(cut.FindAll(".mud-chip")).TextContent.Trim());
    }

    [Fact]
    public async Task Compact_friend_row_shows_only_an_unfriend_icon_button()
    {
        var bob = await App.CreateUserAsync("bob", "Bob");

        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.Friend)
            .Add(x => x.Compact, true));

        var button = Assert.Single(cut.FindAll("button"));
        Assert.Equal("Unfriend Bob", button.GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll(".mud-chip"));
    }

    [Fact]
    public async Task Add_friend_sends_a_request_and_says_so()
    {
        var (alice, bob) = await AliceAndBobAsync();
        SignIn(alice);
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.None)
            .Add(x => x.Changed, () => changed++));

        await ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        var request = Assert.Single(await Friendships.GetOutgoingAsync(alice.Id));
        Assert.Equal(bob.Id, request.OtherUser.Id);
        Assert.Equal(["Friend request sent to Bob"], SnackbarMessages);
        Assert.Equal(1, changed);
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task Add_friend_when_they_already_asked_makes_you_friends()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(bob.Id, alice.Id);
        SignIn(alice);
        var cut = Render<RequestButtons>(p => p.Add(x => x.User, Summary(bob)).Add(x => x.Relation, Relation.None));

        await ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        Assert.Equal(bob.Id, Assert.Single((await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items).Id);
        Assert.Equal(["You and Bob are now friends"], SnackbarMessages);
    }

    [Fact]
    public async Task Accept_makes_them_friends()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(bob.Id, alice.Id);
        var request = Assert.Single(await Friendships.GetIncomingAsync(alice.Id));
        SignIn(alice);
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.RequestReceived)
            .Add(x => x.RequestId, request.Id)
            .Add(x => x.Changed, () => changed++));

        await ByLabel(cut, "Accept friend request from Bob").ClickAsync(new MouseEventArgs());

        Assert.Equal(bob.Id, Assert.Single((await Friendships.GetFriendsAsync(alice.Id, 0, 10)).Items).Id);
        Assert.Equal(alice.Id, Assert.Single((await Friendships.GetFriendsAsync(bob.Id, 0, 10)).Items).Id);
        Assert.Empty(await Friendships.GetIncomingAsync(alice.Id));
        Assert.Equal(["You and Bob are now friends"], SnackbarMessages);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task Decline_answers_the_request_without_making_friends()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(bob.Id, alice.Id);
        var request = Assert.Single(await Friendships.GetIncomingAsync(alice.Id));
        SignIn(alice);
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.RequestReceived)
            .Add(x => x.RequestId, request.Id)
            .Add(x => x.Changed, () => changed++));

        await ByLabel(cut, "Decline friend request from Bob").ClickAsync(new MouseEventArgs());

        Assert.Empty(await Friendships.GetIncomingAsync(alice.Id));
        Assert.Equal(0, (await Friendships.GetFriendsAsync(alice.Id, 0, 10)).TotalCount);
        await using var db = App.NewDbContext();
        Assert.Equal(FriendRequestState.Declined, (await db.FriendRequests.SingleAsync()).State);
        Assert.Equal(["Friend request declined"], SnackbarMessages);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task Cancel_withdraws_a_sent_request()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        var request = Assert.Single(await Friendships.GetOutgoingAsync(alice.Id));
        SignIn(alice);
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.RequestSent)
            .Add(x => x.RequestId, request.Id));

        await ByLabel(cut, "Cancel request to Bob").ClickAsync(new MouseEventArgs());

        Assert.Empty(await Friendships.GetOutgoingAsync(alice.Id));
        Assert.Empty(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Equal(["Friend request cancelled"], SnackbarMessages);
    }

    [Fact]
    public async Task A_refused_action_shows_the_domain_message_and_throws_nothing()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(alice.Id, bob.Id);
        SignIn(alice);
        // A stale page: it still offers "Add friend" although Alice's request is pending.
        var cut = Render<RequestButtons>(p => p.Add(x => x.User, Summary(bob)).Add(x => x.Relation, Relation.None));

        await ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        Assert.Equal(["You already sent Bob a friend request."], SnackbarMessages);
        Assert.Equal(MudBlazor.Severity.Warning, Assert.Single(Snackbar.ShownSnackbars).Severity);
        Assert.Single(await Friendships.GetOutgoingAsync(alice.Id));
        AssertNoUnhandledException();
        // The button is usable again for the next try.
        Assert.False(ByLabel(cut, "Add friend Bob").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Accepting_a_request_that_was_cancelled_meanwhile_says_so()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(bob.Id, alice.Id);
        var request = Assert.Single(await Friendships.GetIncomingAsync(alice.Id));
        SignIn(alice);
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.RequestReceived)
            .Add(x => x.RequestId, request.Id));
        await Friendships.CancelAsync(request.Id, bob.Id);

        await ByLabel(cut, "Accept friend request from Bob").ClickAsync(new MouseEventArgs());

        Assert.Equal(["This request was cancelled."], SnackbarMessages);
        Assert.Equal(0, (await Friendships.GetFriendsAsync(alice.Id, 0, 10)).TotalCount);
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task Unfriend_asks_first_and_only_removes_the_friendship_when_confirmed()
    {
        var (alice, bob) = await AliceAndBobAsync();
        await Friendships.SendRequestAsync(bob.Id, alice.Id);
        await Friendships.AcceptAsync(Assert.Single(await Friendships.GetIncomingAsync(alice.Id)).Id, alice.Id);
        SignIn(alice);
        var providers = RenderProviders();
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.Friend)
            .Add(x => x.ShowUnfriend, true)
            .Add(x => x.Changed, () => changed++));

        // "Keep" leaves everything as it was.
        var first = ByLabel(cut, "Unfriend Bob").ClickAsync(new MouseEventArgs());
        await DialogButton(providers, cut, "Keep").ClickAsync(new MouseEventArgs());
        await first;
        Assert.Equal(1, (await Friendships.GetFriendsAsync(alice.Id, 0, 10)).TotalCount);
        Assert.Empty(SnackbarMessages);
        Assert.Equal(0, changed);

        var second = ByLabel(cut, "Unfriend Bob").ClickAsync(new MouseEventArgs());
        Assert.Contains("Unfriend Bob?", WaitFor(cut, () => providers.Find(".mud-dialog")).TextContent);
        await DialogButton(providers, cut, "Unfriend").ClickAsync(new MouseEventArgs());
        await second;

        Assert.Equal(0, (await Friendships.GetFriendsAsync(alice.Id, 0, 10)).TotalCount);
        Assert.Equal(0, (await Friendships.GetFriendsAsync(bob.Id, 0, 10)).TotalCount);
        Assert.Equal(["You are no longer friends with Bob"], SnackbarMessages);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task Buttons_are_disabled_while_the_action_runs()
    {
        var (alice, bob) = await AliceAndBobAsync();
        SignIn(alice);
        // Bob's live handler holds the publish after the commit, so the action is still running.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hold = App.Live.Subscribe(bob.Id, _ => gate.Task);
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.None)
            .Add(x => x.Changed, () => changed++));

        var click = ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        Assert.False(click.IsCompleted);
        cut.WaitForAssertion(() =>
        {
            Assert.True(ByLabel(cut, "Add friend Bob").HasAttribute("disabled"));
            ByLabel(cut, "Working");
        });
        Assert.Equal(0, changed);

        gate.SetResult();
        await click;

        cut.WaitForAssertion(() => Assert.False(ByLabel(cut, "Add friend Bob").HasAttribute("disabled")));
        Assert.Empty(AllByLabel(cut, "Working"));
        Assert.Equal(1, changed);
        Assert.Single(await Friendships.GetOutgoingAsync(alice.Id));
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_changes_nothing_and_is_sent_to_sign_in()
    {
        var bob = await App.CreateUserAsync("bob", "Bob");
        var changed = 0;
        var cut = Render<RequestButtons>(p => p
            .Add(x => x.User, Summary(bob))
            .Add(x => x.Relation, Relation.None)
            .Add(x => x.Changed, () => changed++));

        await ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        await using var db = App.NewDbContext();
        Assert.Equal(0, await db.FriendRequests.CountAsync());

        Assert.Empty(await Friendships.GetIncomingAsync(bob.Id));
        Assert.Equal(0, changed);
        Assert.Contains("Account/Login", Services.GetRequiredService<NavigationManager>().Uri);
        AssertNoUnhandledException();
    }

    private async Task<(User Alice, User Bob)> AliceAndBobAsync() =>
        (await App.CreateUserAsync("alice", "Alice"), await App.CreateUserAsync("bob", "Bob"));

    private static AngleSharp.Dom.IElement DialogButton(
        IRenderedComponent<IComponent> providers, IRenderedComponent<RequestButtons> cut, string text) =>
        WaitFor(cut, () => providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == text));
}
