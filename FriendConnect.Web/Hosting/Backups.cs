using System.IO.Compression;
using FriendConnect.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Web.Hosting;

/// <summary>
/// A backup is one zip file: a consistent copy of the database taken online (SQLite's backup API copies one snapshot,
/// including what is still in the write-ahead log, while writers go on) and the Data Protection keys, without which
/// restored sign-in cookies and tokens would not be accepted, and the profile photos the database names. SQLite only: a
/// PostgreSQL database is backed up with PostgreSQL's own tools (<see cref="PostgresAdvice"/>).
/// </summary>
public sealed class Backups(string? databasePath, string keysDirectory, string? photosDirectory = null)
{
    private const string DatabaseEntry = "friendconnect.db";
    private const string KeysFolder = "keys/";
    private const string PhotosFolder = "photos/";

    public static Backups For(FriendConnectDbContext db, string dataDirectory, string? photosDirectory = null) => new(
        db.Database.IsSqlite() ? new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null,
        Path.Combine(dataDirectory, "keys"), photosDirectory);

    /// <summary>False on PostgreSQL: <see cref="PostgresAdvice"/> says what to use instead.</summary>
    public bool Supported => databasePath is not null;

    public const string PostgresAdvice =
        "The database is PostgreSQL (Database:Provider=Postgres): back it up with pg_dump and put it back with pg_restore, " +
        "for example `pg_dump --format=custom --file=friendconnect.dump \"$CONNECTION\"` and " +
        "`pg_restore --clean --if-exists --dbname=\"$CONNECTION\" friendconnect.dump`. " +
        "The backup and restore commands copy a SQLite database file only.";

    public string DatabasePath => databasePath ?? throw new InvalidOperationException(PostgresAdvice);

    public async Task CreateAsync(string destination, CancellationToken ct = default)
    {
        destination = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var snapshot = destination + ".db-partial";
        File.Delete(snapshot);
        try
        {
            // SQLite keeps the mode of an existing file, and gives its journal the same.
            CreateOwnerOnly(snapshot).Dispose();
            // SQLite's online backup copies the pages of one read snapshot; in WAL mode writers go on meanwhile.
            await Task.Run(() =>
            {
                using var source = new SqliteConnection(new SqliteConnectionStringBuilder
                    { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString());
                using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString());
                source.Open();
                copy.Open();
                source.BackupDatabase(copy);
            }, ct);

            // Written beside the destination and moved into place, so a file with the backup's name is always whole.
            var partial = destination + ".partial";
            File.Delete(partial);
            using (var zip = new ZipArchive(CreateOwnerOnly(partial), ZipArchiveMode.Create))
            {
                zip.CreateEntryFromFile(snapshot, DatabaseEntry, CompressionLevel.Fastest);
                if (Directory.Exists(keysDirectory))
                    foreach (var key in Directory.EnumerateFiles(keysDirectory, "*.xml"))
                        zip.CreateEntryFromFile(key, KeysFolder + Path.GetFileName(key), CompressionLevel.Fastest);
                AddPhotos(zip);
            }
            File.Move(partial, destination, overwrite: true);
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    /// <summary>
    /// A backup holds password hashes, authenticator keys and the Data Protection keys: its files are created readable by
    /// their owner only, whatever the umask, rather than narrowed after they were written.
    /// </summary>
    private static FileStream CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    /// <summary>Puts a backup's database and keys in place. The app must be stopped: a running one would keep the old file open.</summary>
    public void Restore(string source, bool includeKeys = true)
    {
        using var zip = ZipFile.OpenRead(Path.GetFullPath(source));
        var database = zip.GetEntry(DatabaseEntry)
            ?? throw new InvalidDataException($"'{source}' is not a FriendConnect backup: it has no {DatabaseEntry}.");
        SqliteConnection.ClearAllPools();
        var path = DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var incoming = path + ".restoring";
        database.ExtractToFile(incoming, overwrite: true);
        // The old write-ahead log belongs to the old database; left beside the restored file it would be replayed into it.
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        File.Move(incoming, path, overwrite: true);

        RestorePhotos(zip);

        if (!includeKeys) return;
        Directory.CreateDirectory(keysDirectory);
        foreach (var key in zip.Entries.Where(e => e.FullName.StartsWith(KeysFolder, StringComparison.Ordinal) && e.Name.EndsWith(".xml", StringComparison.Ordinal)))
            key.ExtractToFile(Path.Combine(keysDirectory, key.Name), overwrite: true);
    }

    /// <summary>
    /// A photo version's files are written before the database names them and never change afterwards, so copying them
    /// after the database snapshot finds every version it names, unless one was replaced in between.
    /// </summary>
    private void AddPhotos(ZipArchive zip)
    {
        if (photosDirectory is null || !Directory.Exists(photosDirectory)) return;
        foreach (var photo in Directory.EnumerateFiles(photosDirectory, "*.webp", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(photosDirectory, photo).Replace('\\', '/');
            // A folder starting with a dot is a version still being written.
            if (relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            try { zip.CreateEntryFromFile(photo, PhotosFolder + relative, CompressionLevel.NoCompression); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { /* replaced meanwhile */ }
        }
    }

    private void RestorePhotos(ZipArchive zip)
    {
        if (photosDirectory is null) return;
        var root = Path.GetFullPath(photosDirectory) + Path.DirectorySeparatorChar;
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(PhotosFolder, StringComparison.Ordinal) && e.Name.Length > 0))
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName[PhotosFolder.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true);
        }
    }
}
