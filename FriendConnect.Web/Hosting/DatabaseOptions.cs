namespace FriendConnect.Web.Hosting;

/// <summary>How the database is brought up to date.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply migrations at start-up (after an automatic backup). Off: run <c>migrate</c> yourself; start-up refuses an outdated database.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
