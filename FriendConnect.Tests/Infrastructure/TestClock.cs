namespace FriendConnect.Tests.Infrastructure;

/// <summary>A clock the test moves by hand; each read advances one tick so rows keep a strict order.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    private readonly Lock _gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now = _now.AddTicks(10);
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
    }
}
