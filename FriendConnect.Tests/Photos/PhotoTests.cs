using System.Text;
using FriendConnect.Domain.Common;
using FriendConnect.Domain.Data;
using FriendConnect.Domain.Friendships;
using FriendConnect.Domain.Moderation;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Photos;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Domain;
using FriendConnect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace FriendConnect.Tests.Photos;

public sealed class PhotoTests : IAsyncLifetime
{
    private readonly DomainFixture _app = new();
    private PhotoService Photos => _app.Get<PhotoService>();

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private Task<Result<string>> UploadAsync(User user, byte[] file) => Photos.UploadAsync(user.Id, new MemoryStream(file), file.Length);

    private async Task<string?> VersionOfAsync(User user)
    {
        await using var db = _app.NewDbContext();
        return await db.Users.Where(u => u.Id == user.Id).Select(u => u.PhotoVersion).SingleAsync();
    }

    private string[] StoredFiles() => Directory.Exists(_app.PhotoDirectory)
        ? Directory.GetFiles(_app.PhotoDirectory, "*", SearchOption.AllDirectories)
        : [];

    [Fact]
    public async Task An_upload_is_stored_as_three_centred_square_webp_sizes_without_its_location_and_named_by_the_summary()
    {
        var alice = await _app.CreateUserAsync("alice", "Alice");

        var version = (await UploadAsync(alice, TestImages.JpegWithLocation(900, 300))).Value;

        Assert.NotNull(version);
        Assert.Equal(version, await VersionOfAsync(alice));
        foreach (var size in PhotoRules.Sizes)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_app.PhotoDirectory, alice.Id, version, $"{size}.webp"));
            var image = TestImages.Inspect(bytes);
            Assert.Equal((SKEncodedImageFormat.Webp, size, size), (image.Format, image.Width, image.Height));
            // The middle third of a red-green-blue picture: green from edge to edge.
            Assert.True(image.Centre.Green > 200 && image.Centre.Red < 60 && image.Centre.Blue < 60, $"centre {image.Centre}");
            Assert.True(image.Corner.Green > 200 && image.Corner.Red < 60, $"corner {image.Corner}");
            var text = Encoding.ASCII.GetString(bytes);
            Assert.DoesNotContain("Exif", text);
            Assert.DoesNotContain("GPS", text);
        }
        var summary = await _app.Get<UserDirectory>().GetSummaryAsync(alice.Id);
        Assert.Equal($"/photos/{alice.Id}/{version}/256.webp", summary!.AvatarUrl);
        Assert.Equal($"/photos/{alice.Id}/{version}/40.webp", summary.PhotoUrl(24));
    }

    [Fact]
    public async Task A_png_upload_is_accepted_and_replacing_it_removes_the_old_files()
    {
        var alice = await _app.CreateUserAsync("alice");
        var first = (await UploadAsync(alice, TestImages.Png(300, 300))).Value!;

        var second = (await UploadAsync(alice, TestImages.Jpeg(400, 500))).Value!;

        Assert.NotEqual(first, second);
        Assert.Equal(second, await VersionOfAsync(alice));
        Assert.False(Directory.Exists(Path.Combine(_app.PhotoDirectory, alice.Id, first)));
        Assert.Equal(PhotoRules.Sizes.Count, StoredFiles().Length);
    }

    public static TheoryData<string> BadFiles => ["not an image", "decompression bomb", "truncated", "6 MB"];

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_gets_a_clear_message_and_leaves_the_old_photo_as_it_was(string kind)
    {
        var alice = await _app.CreateUserAsync("alice");
        var old = (await UploadAsync(alice, TestImages.Jpeg(200, 200))).Value!;
        var jpeg = TestImages.Jpeg(600, 400);
        var (file, expected) = kind switch
        {
            "not an image" => (TestImages.Text("Dear diary, today I renamed a text file to holiday.jpg."), "isn't a JPEG, PNG or WebP image"),
            "decompression bomb" => (TestImages.PngDeclaring(30_000, 30_000), "says it is 30,000 × 30,000 pixels"),
            "truncated" => (jpeg[..(jpeg.Length / 2)], "incomplete or damaged"),
            _ => (new byte[6 * 1024 * 1024], "That file is 6 MB; a photo can be at most 5 MB"),
        };

        var error = (await UploadAsync(alice, file)).ShouldFailWith(ErrorKind.Validation);

        Assert.Contains(expected, error.Message);
        Assert.Equal("Photo", error.Field);
        Assert.Equal(old, await VersionOfAsync(alice));
        Assert.Equal(PhotoRules.Sizes.Count, StoredFiles().Length);
        Assert.All(StoredFiles(), f => Assert.Contains(old, f));
        // The photo before and this attempt: a failed upload counts toward the daily limit like one that worked.
        await using var db = _app.NewDbContext();
        Assert.Equal(2, await db.PhotoUploads.CountAsync());
    }

    [Fact]
    public async Task A_truncated_png_declaring_6324_pixels_a_side_is_refused_by_its_header_before_anything_is_decoded()
    {
        var alice = await _app.CreateUserAsync("alice");
        var file = TestImages.PngDeclaring(6324, 6324);

        var error = (await UploadAsync(alice, file)).ShouldFailWith(ErrorKind.Validation);

        Assert.Contains("says it is 6,324 × 6,324 pixels", error.Message);
        Assert.Null(await VersionOfAsync(alice));
        await using var db = _app.NewDbContext();
        Assert.Equal(1, await db.PhotoUploads.CountAsync(p => p.UserId == alice.Id));
    }

    [Fact]
    public async Task Failed_uploads_count_toward_the_daily_limit()
    {
        var alice = await _app.CreateUserAsync("alice");
        var jpeg = TestImages.Jpeg(300, 200);
        for (var i = 0; i < 10; i++)
            (await UploadAsync(alice, jpeg[..(jpeg.Length / 2)])).ShouldFailWith(ErrorKind.Validation);

        var error = (await UploadAsync(alice, jpeg)).ShouldFailWith(ErrorKind.LimitReached);

        Assert.Contains("limit of 10 photo uploads a day", error.Message);
        Assert.Null(await VersionOfAsync(alice));
    }

    [Fact]
    public async Task A_second_upload_while_the_first_is_still_in_progress_is_refused()
    {
        var alice = await _app.CreateUserAsync("alice");
        var photo = TestImages.Jpeg(120, 120);
        var slow = new HeldStream(photo);
        var first = Photos.UploadAsync(alice.Id, slow, photo.Length);
        await slow.Reading.WaitAsync(TimeSpan.FromSeconds(30));

        var error = (await UploadAsync(alice, photo)).ShouldFailWith(ErrorKind.LimitReached);

        Assert.Contains("still being processed", error.Message);
        slow.Release();
        (await first).ShouldSucceed();
    }

    [Fact]
    public async Task Decoding_stops_at_the_hourly_pixel_budget_and_resumes_when_the_hour_has_passed()
    {
        var alice = await _app.CreateUserAsync("alice");
        var photos = new PhotoService(_app.Get<IDbContextFactory<FriendConnectDbContext>>(), _app.Get<PhotoStore>(), _app.Clock,
            new ActionLimits { PhotoMegapixelsPerHour = 1 });
        var png = TestImages.Png(600, 600);
        Task<Result<string>> Upload() => photos.UploadAsync(alice.Id, new MemoryStream(png), png.Length);
        (await Upload()).ShouldSucceed();
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        (await Upload()).ShouldSucceed();

        var error = (await Upload()).ShouldFailWith(ErrorKind.LimitReached);

        Assert.Contains("a lot of large photos in the last hour", error.Message);
        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromMinutes(49), TimeSpan.FromMinutes(50));
        _app.Clock.Advance(TimeSpan.FromMinutes(50));
        (await Upload()).ShouldSucceed();
    }

    /// <summary>A photo's bytes that are handed over only once the test releases them.</summary>
    private sealed class HeldStream(byte[] content) : MemoryStream(content)
    {
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reading => _reading.Task;
        public void Release() => _released.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            _reading.TrySetResult();
            await _released.Task.WaitAsync(ct);
            return await base.ReadAsync(buffer, ct);
        }
    }

    [Fact]
    public async Task A_file_larger_than_declared_is_refused_once_it_passes_the_limit()
    {
        var alice = await _app.CreateUserAsync("alice");
        var tooBig = new byte[PhotoRules.MaxBytes + 1];

        var error = (await Photos.UploadAsync(alice.Id, new MemoryStream(tooBig), declaredLength: 1000)).ShouldFailWith(ErrorKind.Validation);

        Assert.Contains("larger than 5 MB", error.Message);
        Assert.Null(await VersionOfAsync(alice));
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task The_eleventh_upload_in_a_day_is_refused_and_allowed_again_a_day_later()
    {
        var alice = await _app.CreateUserAsync("alice");
        var photo = TestImages.Jpeg(64, 64);
        for (var i = 0; i < 10; i++)
        {
            (await UploadAsync(alice, photo)).ShouldSucceed();
            _app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var tenth = await VersionOfAsync(alice);

        var error = (await UploadAsync(alice, photo)).ShouldFailWith(ErrorKind.LimitReached);

        Assert.Contains("limit of 10 photo uploads a day", error.Message);
        Assert.Equal(tenth, await VersionOfAsync(alice));
        _app.Clock.Advance(TimeSpan.FromDays(1));
        (await UploadAsync(alice, photo)).ShouldSucceed();
    }

    [Fact]
    public async Task A_photo_is_served_to_whoever_may_see_the_person_and_to_no_one_else()
    {
        var alice = await _app.CreateUserAsync("alice");
        var bob = await _app.CreateUserAsync("bob");
        var eve = await _app.CreateUserAsync("eve");
        var version = (await UploadAsync(alice, TestImages.Jpeg(120, 120))).Value!;
        (await _app.Get<PrivacyService>().BlockAsync(alice.Id, eve.Id)).ShouldSucceed();

        Assert.NotNull(await Photos.FindFileAsync(null, alice.Id, version, 96));
        Assert.NotNull(await Photos.FindFileAsync(bob.Id, alice.Id, version, 40));
        Assert.Null(await Photos.FindFileAsync(eve.Id, alice.Id, version, 96));
        Assert.Null(await Photos.FindFileAsync(bob.Id, alice.Id, "0123456789abcdef", 96));
        Assert.Null(await Photos.FindFileAsync(bob.Id, alice.Id, version, 100));
        Assert.Null(await Photos.FindFileAsync(bob.Id, bob.Id, version, 96));
    }

    [Fact]
    public async Task A_new_photo_reaches_the_friends_live_and_no_one_else()
    {
        var alice = await _app.CreateUserAsync("alice");
        var bob = await _app.CreateUserAsync("bob");
        var carol = await _app.CreateUserAsync("carol");
        var friendships = _app.Get<FriendshipService>();
        await friendships.SendRequestAsync(alice.Id, bob.Id);
        (await friendships.AcceptAsync(Assert.Single(await friendships.GetIncomingAsync(bob.Id)).Id, bob.Id)).ShouldSucceed();
        using var recorder = new LiveRecorder(_app.Live, alice.Id, bob.Id, carol.Id);

        (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldSucceed();

        await WaitUntilAsync(() => recorder.For(bob.Id).Any(e => e.Changes.HasFlag(LiveChange.FriendStatus)));
        Assert.Contains(recorder.For(alice.Id), e => e.Changes.HasFlag(LiveChange.Profile));
        Assert.Empty(recorder.For(carol.Id));
    }

    [Fact]
    public async Task Removing_your_photo_brings_the_initials_back_and_deletes_the_files()
    {
        var alice = await _app.CreateUserAsync("alice");
        (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldSucceed();

        (await Photos.RemoveOwnAsync(alice.Id)).ShouldSucceed();

        Assert.Null(await VersionOfAsync(alice));
        Assert.Null((await _app.Get<UserDirectory>().GetSummaryAsync(alice.Id))!.AvatarUrl);
        Assert.Empty(StoredFiles());
        (await Photos.RemoveOwnAsync(alice.Id)).ShouldFailWith(ErrorKind.NotFound);
    }

    [Fact]
    public async Task A_reported_photo_can_be_removed_by_a_moderator_who_also_stops_further_uploads()
    {
        var mod = await _app.CreateUserAsync("mod");
        var alice = await _app.CreateUserAsync("alice", "Alice");
        var bob = await _app.CreateUserAsync("bob");
        var moderation = _app.Get<ModerationService>();
        var reports = _app.Get<ReportService>();
        (await moderation.GrantAsync("mod")).ShouldSucceed();
        (await reports.ReportPhotoAsync(bob.Id, alice.Id, ReportReason.InappropriateContent, null)).ShouldFailWith(ErrorKind.NotFound);
        (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldSucceed();

        (await reports.ReportPhotoAsync(bob.Id, alice.Id, ReportReason.InappropriateContent, "Not a face")).ShouldSucceed();
        var report = Assert.Single((await moderation.GetQueueAsync(mod.Id, 0, 10)).Value!.Items);
        Assert.True(report.AboutPhoto);
        Assert.NotNull(report.Target.AvatarUrl);
        (await moderation.RemovePhotoAsync(bob.Id, report.Id, blockUploads: true)).ShouldFailWith(ErrorKind.Forbidden);

        (await moderation.RemovePhotoAsync(mod.Id, report.Id, blockUploads: true)).ShouldSucceed();

        Assert.Null(await VersionOfAsync(alice));
        Assert.Empty(StoredFiles());
        Assert.Empty((await moderation.GetQueueAsync(mod.Id, 0, 10)).Value!.Items);
        var refused = (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldFailWith(ErrorKind.Forbidden);
        Assert.Contains("moderator has turned off photo uploads", refused.Message);
        Assert.True((await Photos.GetOwnAsync(alice.Id)).UploadsBlocked);
        await using (var db = _app.NewDbContext())
            Assert.Equal("Photo removed; uploads blocked", await db.Reports.Select(r => r.Resolution).SingleAsync());

        (await moderation.AllowPhotoUploadsAsync(mod.Id, alice.Id)).ShouldSucceed();
        (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldSucceed();
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_photos()
    {
        var alice = await _app.CreateUserAsync("alice");
        (await UploadAsync(alice, TestImages.Jpeg(100, 100))).ShouldSucceed();

        (await _app.WithAccountsAsync(accounts => accounts.DeleteAsync(alice.Id))).ShouldSucceed();

        Assert.Empty(StoredFiles());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition was not met in 30 seconds.");
            await Task.Delay(20);
        }
    }
}
