using System.ComponentModel.DataAnnotations;

namespace FriendConnect.Domain.Data;

/// <summary>Where the app keeps what must survive a redeploy: the database, Data Protection keys and uploads.</summary>
public sealed class DataOptions
{
    public const string SectionName = "Data";

    /// <summary>Absolute, or relative to the app's folder. <c>App_Data</c> for <c>dotnet run</c>; <c>/var/lib/friendconnect</c> under systemd.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "App_Data";

    public const string DatabaseFileName = "friendconnect.db";

    /// <summary>The data directory as an absolute path: relative ones are taken from the app's folder.</summary>
    public string ResolveDirectory(string contentRoot) => Path.GetFullPath(Path.Combine(contentRoot, Directory));
}
