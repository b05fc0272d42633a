using Bunit;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Users;
using FriendConnect.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace FriendConnect.Tests.Components;

/// <summary>One RelationActions serves a whole list: every row gets its own actions, and each acts for its own person.</summary>
public sealed class RelationActionsTests : ComponentTestContext
{
    private FriendshipService Friendships => App.Get<FriendshipService>();

    [Fact]
    public async Task Each_row_acts_for_its_own_person()
    {
        var (alice, bob, carol) = await AliceBobAndCarolAsync();
        SignIn(alice);
        var changed = 0;
        var cut = RenderList([Summary(bob), Summary(carol)], () => changed++);

        await ByLabel(cut, "Add friend Carol").ClickAsync(new MouseEventArgs());

        Assert.Equal(carol.Id, Assert.Single(await Friendships.GetOutgoingAsync(alice.Id)).OtherUser.Id);
        Assert.Equal(["Friend request sent to Carol"], SnackbarMessages);
        Assert.Equal(1, changed);
        Assert.False(ByLabel(cut, "Add friend Bob").HasAttribute("disabled"));
        AssertNoUnhandledException();
    }

    [Fact]
    public async Task Only_the_row_whose_action_runs_is_busy()
    {
        var (alice, bob, carol) = await AliceBobAndCarolAsync();
        SignIn(alice);
        // Bob's live handler holds the publish after the commit, so the action is still running.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hold = App.Live.Subscribe(bob.Id, _ => gate.Task);
        var cut = RenderList([Summary(bob), Summary(carol)], () => { });

        var click = ByLabel(cut, "Add friend Bob").ClickAsync(new MouseEventArgs());

        cut.WaitForAssertion(() =>
        {
            Assert.True(ByLabel(cut, "Add friend Bob").HasAttribute("disabled"));
            Assert.Single(AllByLabel(cut, "Working"));
        });
        Assert.False(ByLabel(cut, "Add friend Carol").HasAttribute("disabled"));

        gate.SetResult();
        await click;
        cut.WaitForAssertion(() => Assert.Empty(AllByLabel(cut, "Working")));
    }

    private IRenderedComponent<RelationActions> RenderList(IReadOnlyList<UserSummary> people, Action changed) =>
        Render<RelationActions>(p => p
            .Add(x => x.Changed, changed)
            .Add(x => x.ChildContent, (RenderFragment<RelationActions>)(actions => builder =>
            {
                foreach (var person in people) builder.AddContent(0, actions.For(person, Relation.None));
            })));

    private async Task<(User Alice, User Bob, User Carol)> AliceBobAndCarolAsync() =>
        (await App.CreateUserAsync("alice", "Alice"), await App.CreateUserAsync("bob", "Bob"), await App.CreateUserAsync("carol", "Carol"));
}
