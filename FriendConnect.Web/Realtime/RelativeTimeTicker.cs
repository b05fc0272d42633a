namespace FriendConnect.Web.Realtime;

/// <summary>One timer per circuit that tells every relative time on the page to re-render.</summary>
public sealed class RelativeTimeTicker : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly Timer _timer;
    private event Func<Task>? TickHandlers;

    public RelativeTimeTicker() => _timer = new Timer(_ => _ = RaiseAsync(), null, Interval, Interval);

    public IDisposable Subscribe(Func<Task> onTick)
    {
        TickHandlers += onTick;
        return new Unsubscriber(() => TickHandlers -= onTick);
    }

    private Task RaiseAsync()
    {
        var handlers = TickHandlers;
        return handlers is null
            ? Task.CompletedTask
            : Task.WhenAll(handlers.GetInvocationList().Cast<Func<Task>>().Select(h => h()));
    }

    public void Dispose() => _timer.Dispose();

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
