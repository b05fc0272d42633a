using FriendConnect.Domain.Common;
using SkiaSharp;

namespace FriendConnect.Domain.Photos;

/// <summary>
/// Turns an uploaded file into the stored sizes: a centred square, turned the way the camera meant, re-encoded as WebP.
/// Re-encoding from pixels leaves every piece of metadata behind (EXIF, GPS position, camera, comments).
/// </summary>
internal static class PhotoProcessor
{
    private const int WebpQuality = 85;

    // Decoding a photo takes up to 64 MB for a moment; two at a time keeps a busy server's memory bounded.
    private static readonly SemaphoreSlim Decoding = new(2);

    /// <summary>
    /// Checks the header, then asks <paramref name="charge"/> for the pixels about to be decoded (it may refuse), then
    /// decodes and renders.
    /// </summary>
    public static async Task<Result<IReadOnlyDictionary<int, byte[]>>> ProcessAsync(
        byte[] file, Func<long, DomainError?> charge, CancellationToken ct)
    {
        if (PhotoRules.CheckLength(file.LongLength) is { } badLength) return badLength;
        using var data = SKData.CreateCopy(file);
        // Reads the header only: the format and the declared size.
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
            return Invalid("That file isn't a JPEG, PNG or WebP image. Choose a photo in one of those formats.");

        var declared = codec.Info;
        if (declared.Width <= 0 || declared.Height <= 0)
            return Invalid("That image is damaged. Choose another photo.");
        if (declared.Width > PhotoRules.MaxSide || declared.Height > PhotoRules.MaxSide || (long)declared.Width * declared.Height > PhotoRules.MaxPixels)
            return Invalid($"That image says it is {declared.Width:N0} × {declared.Height:N0} pixels, more than a photo can be " +
                $"({PhotoRules.MaxSide:N0} pixels a side, {PhotoRules.MaxPixels / 1_000_000} megapixels). Choose a smaller one.");

        var decodedSize = DecodedSize(codec);
        if ((long)decodedSize.Width * decodedSize.Height > PhotoRules.MaxDecodedPixels)
            return Invalid($"That image says it is {declared.Width:N0} × {declared.Height:N0} pixels; as a {codec.EncodedFormat.ToString().ToUpperInvariant()} " +
                $"it can be at most {PhotoRules.MaxDecodedPixels / 1_000_000} megapixels. Choose a smaller one, or a JPEG.");
        if (charge((long)decodedSize.Width * decodedSize.Height) is { } refused) return refused;

        await Decoding.WaitAsync(ct);
        try
        {
            return DecodeAndRender(codec, decodedSize);
        }
        finally
        {
            Decoding.Release();
        }
    }

    private static Result<IReadOnlyDictionary<int, byte[]>> DecodeAndRender(SKCodec codec, SKSizeI decodedSize)
    {
        using var decoded = Decode(codec, decodedSize);
        if (decoded is null)
            return Invalid("That image is incomplete or damaged, so nothing was saved. Choose the photo again, or another one.");

        var square = CentredSquare(decoded.Width, decoded.Height);
        using var image = SKImage.FromBitmap(decoded);
        var sizes = new Dictionary<int, byte[]>();
        foreach (var size in PhotoRules.Sizes)
            sizes[size] = Render(image, square, size, codec.EncodedOrigin);
        return sizes;
    }

    /// <summary>The size the codec decodes to: JPEGs at a smaller scale where the codec can, others whole.</summary>
    private static SKSizeI DecodedSize(SKCodec codec)
    {
        var shortSide = Math.Min(codec.Info.Width, codec.Info.Height);
        // Twice the largest size is plenty to scale down from with good quality.
        var wanted = Math.Min(1f, 2f * PhotoRules.Sizes[^1] / shortSide);
        return codec.GetScaledDimensions(wanted);
    }

    /// <summary>All the pixels, or null when the file ends early or is corrupt.</summary>
    private static SKBitmap? Decode(SKCodec codec, SKSizeI scaled)
    {
        // The whole size only where the codec cannot scale after all, and only if it is within the same bound.
        var whole = (long)codec.Info.Width * codec.Info.Height <= PhotoRules.MaxDecodedPixels ? codec.Info.Size : scaled;
        foreach (var dimensions in new[] { scaled, whole }.Distinct())
        {
            var info = new SKImageInfo(dimensions.Width, dimensions.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result == SKCodecResult.Success) return bitmap;
            bitmap.Dispose();
            if (result != SKCodecResult.InvalidScale) return null;
        }
        return null;
    }

    private static SKRect CentredSquare(int width, int height)
    {
        var side = Math.Min(width, height);
        var left = (width - side) / 2f;
        var top = (height - side) / 2f;
        return new SKRect(left, top, left + side, top + side);
    }

    private static byte[] Render(SKImage image, SKRect square, int size, SKEncodedOrigin origin)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            Orient(canvas, origin, size / 2f);
            canvas.DrawImage(image, square, new SKRect(0, 0, size, size), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var pixmap = bitmap.PeekPixels();
        using var encoded = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebpQuality))
            ?? throw new InvalidOperationException("The WebP encoder produced nothing.");
        return encoded.ToArray();
    }

    /// <summary>
    /// The camera's orientation, applied to the square: the EXIF tag that said how to turn the picture is not kept,
    /// so the pixels must already be the right way up.
    /// </summary>
    private static void Orient(SKCanvas canvas, SKEncodedOrigin origin, float centre)
    {
        var (degrees, mirror) = origin switch
        {
            SKEncodedOrigin.TopRight => (0, true),
            SKEncodedOrigin.BottomRight => (180, false),
            SKEncodedOrigin.BottomLeft => (180, true),
            SKEncodedOrigin.LeftTop => (270, true),
            SKEncodedOrigin.RightTop => (90, false),
            SKEncodedOrigin.RightBottom => (90, true),
            SKEncodedOrigin.LeftBottom => (270, false),
            _ => (0, false),
        };
        if (degrees != 0) canvas.RotateDegrees(degrees, centre, centre);
        if (mirror) canvas.Scale(-1, 1, centre, centre);
    }

    private static DomainError Invalid(string message) => DomainError.Validation(message, "Photo");
}
