namespace FriendConnect.Domain.Live;

/// <summary>
/// Hears every domain event once its work has committed, before the router delivers it: for what must change at once
/// with the data (caches of what anonymous readers see). Registered in DI; a failing observer never stops delivery.
/// </summary>
public interface ICommittedEventObserver
{
    Task OnCommittedAsync(DomainEvent domainEvent);
}
