using Microsoft.Extensions.Options;

namespace FriendConnect.Domain.Photos;

/// <summary>
/// The photo files, one folder per user and version: <c>{directory}/{userId}/{version}/{size}.webp</c>. A version's
/// folder appears whole or not at all (written under a temporary name, then renamed), and is never changed afterwards.
/// </summary>
public sealed class PhotoStore(IOptions<PhotoOptions> options)
{
    public string Directory { get; } = string.IsNullOrWhiteSpace(options.Value.Directory) || !Path.IsPathRooted(options.Value.Directory)
        ? throw new InvalidOperationException($"{PhotoOptions.SectionName}:Directory must be an absolute path once the data directory is applied.")
        : options.Value.Directory;

    /// <summary>The file of one stored size, or null when it is not there.</summary>
    internal string? Find(string userId, string version, int size)
    {
        var path = Path.Combine(Directory, userId, version, $"{size}.webp");
        return File.Exists(path) ? path : null;
    }

    internal async Task WriteAsync(string userId, string version, IReadOnlyDictionary<int, byte[]> sizes, CancellationToken ct)
    {
        var userFolder = Path.Combine(Directory, userId);
        var temporary = Path.Combine(userFolder, $".{version}.partial");
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            foreach (var (size, bytes) in sizes)
            {
                await using var file = new FileStream(Path.Combine(temporary, $"{size}.webp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
                await file.WriteAsync(bytes, ct);
                file.Flush(flushToDisk: true);
            }
            System.IO.Directory.Move(temporary, Path.Combine(userFolder, version));
        }
        catch
        {
            DeleteFolder(temporary);
            throw;
        }
    }

    /// <summary>Removes one version's files; a file that is being served at that moment goes once it is closed.</summary>
    internal void Delete(string userId, string version) => DeleteFolder(Path.Combine(Directory, userId, version));

    /// <summary>Every photo the user ever stored (account deletion).</summary>
    internal void DeleteAll(string userId) => DeleteFolder(Path.Combine(Directory, userId));

    private static void DeleteFolder(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException) { /* left for the next cleanup; it is never served once the database forgets it */ }
        catch (UnauthorizedAccessException) { }
    }
}
