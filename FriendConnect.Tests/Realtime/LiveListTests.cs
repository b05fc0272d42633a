using FriendConnect.Web.Realtime;

namespace FriendConnect.Tests.Realtime;

public sealed class LiveListTests
{
    private sealed record Item(long Id);

    private static LiveList<Item, long> NewestFirst() => new(i => i.Id, (a, b) => b.Id.CompareTo(a.Id));

    [Fact]
    public void An_event_that_lands_while_a_reload_runs_is_shown_once_whether_or_not_the_reload_saw_it()
    {
        foreach (var reloadSawIt in new[] { false, true })
        {
            var list = NewestFirst();
            var mark = list.Mark();
            list.Add(new Item(3));
            list.Load(mark, reloadSawIt ? [new Item(3), new Item(2), new Item(1)] : [new Item(2), new Item(1)]);

            Assert.Equal([3, 2, 1], list.Items!.Select(i => i.Id));
        }
    }

    [Fact]
    public void An_event_before_the_first_load_is_not_lost()
    {
        var list = NewestFirst();
        list.Add(new Item(5));
        Assert.Null(list.Items);
        var mark = list.Mark();
        list.Load(mark, [new Item(5), new Item(4)]);

        Assert.Equal([5, 4], list.Items!.Select(i => i.Id));
    }

    [Fact]
    public void A_removal_racing_a_reload_that_still_saw_the_item_keeps_it_removed()
    {
        var list = NewestFirst();
        list.Load(list.Mark(), [new Item(2), new Item(1)]);
        var mark = list.Mark();
        list.Remove(2);
        list.Load(mark, [new Item(2), new Item(1)]);

        Assert.Equal([1], list.Items!.Select(i => i.Id));
    }

    [Fact]
    public void A_reload_begun_after_an_event_is_the_truth_about_it()
    {
        var list = NewestFirst();
        list.Load(list.Mark(), [new Item(1)]);
        list.Add(new Item(2));
        // The item left the database after its event (a moderator hid it); a later reload drops it.
        list.Load(list.Mark(), [new Item(1)]);

        Assert.Equal([1], list.Items!.Select(i => i.Id));
    }

    [Fact]
    public void The_same_event_twice_shows_one_item()
    {
        var list = NewestFirst();
        list.Load(list.Mark(), []);
        list.Add(new Item(7));
        list.Add(new Item(7));

        Assert.Equal([7], list.Items!.Select(i => i.Id));
    }
}
