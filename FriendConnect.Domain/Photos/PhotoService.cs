using System.Security.Cryptography;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Live;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace FriendConnect.Domain.Photos;

/// <summary>
/// Profile photos: the files live in the data directory (<see cref="PhotoStore"/>), the database keeps only the current
/// version on the user. A new version's files exist before the database names it, so a failed upload changes nothing.
/// </summary>
public sealed class PhotoService(
    IDbContextFactory<FriendConnectDbContext> dbFactory,
    PhotoStore store,
    TimeProvider clock,
    ActionLimits limits)
{
    private static readonly TimeSpan UploadWindow = TimeSpan.FromDays(1);

    private readonly PhotoDecodeBudget _decoding = new(clock, limits);

    public async Task<(string? Version, bool UploadsBlocked)> GetOwnAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.PhotoVersion, u.PhotoUploadsBlocked }).FirstOrDefaultAsync(ct);
        return (own?.PhotoVersion, own?.PhotoUploadsBlocked ?? false);
    }

    /// <summary>
    /// Replaces the user's photo with <paramref name="content"/>, whose length the sender declared as <paramref name="declaredLength"/>.
    /// Returns the new version. On any refusal the old photo stays as it was. Every attempt counts toward the daily limit,
    /// whatever comes of it; one runs at a time per person, and decoding draws on an hourly pixel budget.
    /// </summary>
    public async Task<Result<string>> UploadAsync(string userId, Stream content, long declaredLength, CancellationToken ct = default)
    {
        using var slot = _decoding.TryBegin(userId);
        if (slot is null)
            return DomainError.LimitReached("Your previous photo is still being processed. Wait for it to finish, then try again.", TimeSpan.FromSeconds(5));
        var previous = await RecordAttemptAsync(userId, ct);
        if (!previous.Succeeded) return previous.Error!;
        if (PhotoRules.CheckLength(declaredLength) is { } badLength) return badLength;

        var file = await ReadAtMostAsync(content, PhotoRules.MaxBytes, ct);
        if (file is null)
            return DomainError.Validation($"That file is larger than {PhotoRules.MaxBytes / 1024 / 1024} MB, the most a photo can be. Choose a smaller one.", "Photo");
        var processed = await PhotoProcessor.ProcessAsync(file, pixels => _decoding.TryCharge(userId, pixels), ct);
        if (!processed.Succeeded) return processed.Error!;
        return await SaveAsync(userId, previous.Value, processed.Value!, ct);
    }

    /// <summary>Checks that the person may upload now and counts the attempt; returns the version it would replace.</summary>
    private async Task<Result<string?>> RecordAttemptAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync([userId], ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await AccountGuard.CheckActiveAsync(db, userId, now, ct) is { } inactive) return inactive;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.PhotoVersion, u.PhotoUploadsBlocked }).FirstAsync(ct);
        if (user.PhotoUploadsBlocked) return UploadsBlocked;
        if (await ActionLimits.CheckAsync(db.PhotoUploads.Where(p => p.UserId == userId).Select(p => p.CreatedAt),
                limits.PhotoUploadsPerDay, UploadWindow, now, "photo uploads a day", ct) is { } limited) return limited;
        db.PhotoUploads.Add(new PhotoUpload { UserId = userId, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<string?>.Success(user.PhotoVersion);
    }

    private async Task<Result<string>> SaveAsync(string userId, string? previous, IReadOnlyDictionary<int, byte[]> processed, CancellationToken ct)
    {
        var version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await store.WriteAsync(userId, version, processed, ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.BeginWriteAsync([userId], ct);
            // Only over the version this upload replaces, and never once a moderator has stopped uploads: of two
            // uploads at once exactly one wins, and a removal in between is not undone.
            var changed = await db.Users
                .Where(u => u.Id == userId && u.PhotoVersion == previous && !u.PhotoUploadsBlocked)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoVersion, version), ct);
            if (changed == 0)
            {
                store.Delete(userId, version);
                return DomainError.Conflict("Your photo changed while this one was uploading. Look at it, then try again if you like.");
            }
            db.Record(new ProfilePhotoChanged(userId));
            await tx.CommitAsync(ct);
        }
        catch
        {
            store.Delete(userId, version);
            throw;
        }
        if (previous is not null) store.Delete(userId, previous);
        return version;
    }

    /// <summary>The user takes their photo down; initials show again.</summary>
    public async Task<Result> RemoveOwnAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync([userId], ct);
        var previous = await db.Users.Where(u => u.Id == userId).Select(u => u.PhotoVersion).FirstOrDefaultAsync(ct);
        if (previous is null) return DomainError.NotFound("You have no photo to remove.");
        await ClearAsync(db, userId, previous, ct);
        await tx.CommitAsync(ct);
        store.Delete(userId, previous);
        return Result.Success();
    }

    /// <summary>
    /// The file for one size of a user's photo, or null: for an unknown user, version or size, and for a viewer the
    /// audience rule hides the user from (a block either way), exactly as their profile answers.
    /// </summary>
    public async Task<string?> FindFileAsync(string? viewerId, string userId, string version, int size, CancellationToken ct = default)
    {
        if (!PhotoRules.Sizes.Contains(size)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.PhotoVersion == version)
            .Where(Audience.NotBlocked(db, viewerId))
            .AnyAsync(ct);
        return visible ? store.Find(userId, version, size) : null;
    }

    /// <summary>Inside the caller's transaction: clears the photo if it is still <paramref name="version"/> and announces it.</summary>
    internal static async Task<bool> ClearAsync(FriendConnectDbContext db, string userId, string version, CancellationToken ct)
    {
        var changed = await db.Users.Where(u => u.Id == userId && u.PhotoVersion == version)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PhotoVersion, (string?)null), ct);
        if (changed == 0) return false;
        db.Record(new ProfilePhotoChanged(userId));
        return true;
    }

    internal void DeleteFiles(string userId, string version) => store.Delete(userId, version);

    /// <summary>The whole stream if it is at most <paramref name="limit"/> bytes; null as soon as it is longer.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream content, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static readonly DomainError UploadsBlocked =
        DomainError.Forbidden("A moderator has turned off photo uploads for your account.");
}
