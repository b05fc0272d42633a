using FriendConnect.Web.Hosting;
using Microsoft.Data.Sqlite;

namespace FriendConnect.Tests.Photos;

public sealed class PhotoBackupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"fc-backup-photos-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_backup_carries_the_photos_and_a_restore_puts_them_back_without_half_written_versions()
    {
        var database = Path.Combine(_root, "friendconnect.db");
        var photos = Path.Combine(_root, "photos");
        Directory.CreateDirectory(_root);
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE t (x INTEGER)";
            create.ExecuteNonQuery();
        }
        var stored = Path.Combine(photos, "user-1", "0123456789abcdef", "96.webp");
        var partial = Path.Combine(photos, "user-1", ".fedcba9876543210.partial", "96.webp");
        foreach (var path in new[] { stored, partial })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, TestImages.Jpeg(8, 8));
        }
        var backups = new Backups(database, Path.Combine(_root, "keys"), photos);
        var backup = Path.Combine(_root, "backups", "one.zip");

        await backups.CreateAsync(backup);
        Directory.Delete(photos, recursive: true);
        backups.Restore(backup);

        Assert.Equal(TestImages.Jpeg(8, 8), await File.ReadAllBytesAsync(stored));
        Assert.False(File.Exists(partial));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
