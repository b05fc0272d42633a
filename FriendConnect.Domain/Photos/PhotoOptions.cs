namespace FriendConnect.Domain.Photos;

/// <summary>Bound from the "Photos" section.</summary>
public sealed class PhotoOptions
{
    public const string SectionName = "Photos";

    /// <summary>Where photos are kept: absolute, or relative to the data directory. Default <c>&lt;Data:Directory&gt;/photos</c>.</summary>
    public string Directory { get; set; } = "photos";
}
