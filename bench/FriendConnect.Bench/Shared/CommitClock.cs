using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FriendConnect.Bench.Shared;

/// <summary>Notes the Stopwatch timestamp of the latest committed transaction: where a write's "save" ends.</summary>
public sealed class CommitClock : DbTransactionInterceptor
{
    private long _last;
    public long LastCommit => Interlocked.Read(ref _last);

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }
}
