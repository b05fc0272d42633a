using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using Microsoft.Extensions.Logging;

namespace FriendConnect.Domain.Moderation;

internal static class AuditLog
{
    /// <summary>Adds the entry to the caller's unit of work: it is saved with the action, or not at all.</summary>
    public static void Audit(this FriendConnectDbContext db, AuditEntry entry)
    {
        db.AuditEntries.Add(entry);
        db.Record(new ActionAudited(entry));
    }
}

/// <summary>Writes each audit entry to the application log once its action has committed, as structured fields.</summary>
internal sealed class AuditLogger(ILogger<AuditLogger> logger) : ICommittedEventObserver
{
    public Task OnCommittedAsync(DomainEvent domainEvent)
    {
        if (domainEvent is ActionAudited { Entry: var e })
            logger.LogInformation(
                "Audit {AuditId}: {AuditAction} by {ActorId}{Operator} on user {TargetUserId}, status {StatusId}, report {ReportId}; reason {Reason}",
                e.Id, e.Action, e.ActorId, e.Operator, e.TargetUserId, e.StatusId, e.ReportId, e.Reason);
        return Task.CompletedTask;
    }
}
