namespace FriendConnect.Domain.Moderation;

/// <summary>Every privileged action there is. Stored by name, so an entry reads the same after the enum grows.</summary>
public enum AuditAction
{
    ReportDismissed,
    StatusHidden,
    PhotoRemoved,
    PhotoRemovedAndUploadsBlocked,
    PhotoUploadsAllowed,
    UserSuspended,
    SuspensionLifted,
    ModeratorGranted,
    ModeratorRevoked,
    PasswordReset,
}

/// <summary>
/// Who acted: a signed-in moderator (their user id), or the operator at the server, named by how they acted and, when
/// the system says, as which account of the machine.
/// </summary>
public sealed record AuditActor
{
    private AuditActor(string? userId, string? @operator)
    {
        UserId = userId;
        Operator = @operator;
    }

    public string? UserId { get; }

    /// <summary>For the operator: "command line (root)"; null for a person.</summary>
    public string? Operator { get; }

    public static AuditActor Person(string userId) => new(userId, null);

    /// <summary>The operator running a command, as the machine's account that runs it.</summary>
    public static AuditActor CommandLine { get; } = new(null, OperatorAs("command line"));

    /// <summary>The development seed, which makes its demo moderator.</summary>
    internal static AuditActor DemoData { get; } = new(null, "demo data");

    /// <summary>The first account of a new installation, which becomes its moderator by itself.</summary>
    internal static AuditActor FirstAccount { get; } = new(null, "first account of the installation");

    private static string OperatorAs(string how)
    {
        string? account;
        try { account = Environment.UserName; }
        catch (InvalidOperationException) { account = null; }
        return string.IsNullOrWhiteSpace(account) ? how : $"{how} ({account})";
    }
}

/// <summary>
/// One privileged action: who did what to whom, why and when. Written in the action's own transaction and never changed:
/// the properties are set once, here, and the context refuses to save a changed or deleted entry (docs/decisions/023).
/// </summary>
public sealed class AuditEntry
{
    public const int OperatorMaxLength = 200;

    private AuditEntry() { }

    internal AuditEntry(DateTime at, AuditActor actor, AuditAction action, string? targetUserId, long? statusId, long? reportId, string? reason)
    {
        At = at;
        ActorId = actor.UserId;
        Operator = actor.Operator is { Length: > OperatorMaxLength } tooLong ? tooLong[..OperatorMaxLength] : actor.Operator;
        Action = action;
        TargetUserId = targetUserId;
        StatusId = statusId;
        ReportId = reportId;
        Reason = reason;
    }

    public long Id { get; private init; }
    public DateTime At { get; private init; }

    /// <summary>The acting person; null when the operator acted (<see cref="Operator"/>).</summary>
    public string? ActorId { get; private init; }
    public string? Operator { get; private init; }
    public AuditAction Action { get; private init; }

    // No foreign keys: the record outlives the people, statuses and reports it names.
    public string? TargetUserId { get; private init; }
    public long? StatusId { get; private init; }
    public long? ReportId { get; private init; }

    /// <summary>The reason the actor gave, for actions that take one (a suspension).</summary>
    public string? Reason { get; private init; }
}
