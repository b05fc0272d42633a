using System.Data.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FriendConnect.Domain.Live;

/// <summary>
/// Publishes domain events once their work is in the database: the router decides recipients and payloads, the bus
/// carries them. A failure here never undoes or fails the committed work; a receiver that missed an event reloads.
/// </summary>
public sealed class LiveEventDispatcher(
    LiveEventRouter router, ILiveEventPublisher bus, IEnumerable<ICommittedEventObserver> observers, ILogger<LiveEventDispatcher> logger)
{
    /// <summary>For work committed outside a context's transaction (Identity's store, presence): call after it is saved.</summary>
    public async Task DispatchAsync(params DomainEvent[] events)
    {
        foreach (var domainEvent in events)
        {
            foreach (var observer in observers)
            {
                try
                {
                    await observer.OnCommittedAsync(domainEvent);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "{Observer} failed on {Event}.", observer.GetType().Name, domainEvent.GetType().Name);
                }
            }
            try
            {
                foreach (var delivery in await router.RouteAsync(domainEvent))
                    if (delivery.To.Count > 0)
                        await bus.PublishAsync(delivery.To, delivery.Event);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Publishing {Event} failed; receivers catch up from the database.", domainEvent.GetType().Name);
            }
        }
    }
}

/// <summary>
/// Hands the events a context recorded to the dispatcher after its transaction commits, or after SaveChanges when no
/// transaction is open. Events of a transaction that rolls back (or is disposed uncommitted) are never published.
/// </summary>
internal sealed class PublishAfterCommitInterceptor(IServiceProvider services) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private LiveEventDispatcher Dispatcher => services.GetRequiredService<LiveEventDispatcher>();

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is FriendConnectDbContext db) await Dispatcher.DispatchAsync(db.TakeRecordedEvents());
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is FriendConnectDbContext db) Dispatcher.DispatchAsync(db.TakeRecordedEvents()).GetAwaiter().GetResult();
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is FriendConnectDbContext db) db.TakeRecordedEvents();
        return Task.CompletedTask;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is FriendConnectDbContext { Database.CurrentTransaction: null } db)
            await Dispatcher.DispatchAsync(db.TakeRecordedEvents());
        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is FriendConnectDbContext { Database.CurrentTransaction: null } db)
            Dispatcher.DispatchAsync(db.TakeRecordedEvents()).GetAwaiter().GetResult();
        return result;
    }
}
