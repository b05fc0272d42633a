using FriendConnect.Domain.Common;

namespace FriendConnect.Domain.Photos;

/// <summary>What a profile photo may be, and the sizes it is kept in.</summary>
public static class PhotoRules
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Checked on the declared size, before a pixel is decoded: a small file can declare an enormous image.</summary>
    public const int MaxSide = 10_000;
    public const long MaxPixels = 40_000_000;

    /// <summary>
    /// The most pixels one photo may be decoded into (64 MB of colour), checked on the header too. A JPEG decodes at a
    /// fraction of its size, so this limits PNGs and WebPs that cannot.
    /// </summary>
    public const long MaxDecodedPixels = 16_000_000;

    /// <summary>The square sizes kept for each photo, in pixels: list rows, profile cards, large views.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [40, 96, 256];

    /// <summary>For a file picker's <c>accept</c> attribute; the server decides by the content, never by the name.</summary>
    public const string Accept = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp";

    /// <summary>The length a browser or client declares, checked before anything is read.</summary>
    public static DomainError? CheckLength(long length) => length switch
    {
        <= 0 => DomainError.Validation("That file is empty. Choose a JPEG, PNG or WebP photo.", "Photo"),
        > MaxBytes => DomainError.Validation(
            $"That file is {length / 1024d / 1024d:0.#} MB; a photo can be at most {MaxBytes / 1024 / 1024} MB. Choose a smaller one.", "Photo"),
        _ => null,
    };

    /// <summary>The smallest stored size that is at least <paramref name="pixels"/> wide.</summary>
    public static int SizeFor(int pixels) => Sizes.FirstOrDefault(s => s >= pixels, Sizes[^1]);

    /// <summary>The address a stored size is served at: versioned, so it never changes and can be cached for ever.</summary>
    public static string Url(string userId, string version, int size) => $"/photos/{userId}/{version}/{size}.webp";
}
