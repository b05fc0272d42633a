using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace FriendConnect.Tests.Photos;

/// <summary>Image files for upload tests, made on the spot: real photos, and the bad files people send.</summary>
public static class TestImages
{
    /// <summary>A JPEG of the given size in three vertical stripes, red, green and blue, so a crop can be checked by colour.</summary>
    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    /// <summary>A JPEG carrying an EXIF block with a GPS position and a camera comment, right after the start marker.</summary>
    public static byte[] JpegWithLocation(int width, int height)
    {
        var jpeg = Jpeg(width, height);
        // TIFF header (little-endian), one IFD entry (Orientation = 1), no next IFD, then a GPS note as trailing text.
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        var payload = Encoding.ASCII.GetBytes("Exif\0\0").Concat(tiff).Concat(Encoding.ASCII.GetBytes("GPSLatitude 52.3702 N GPSLongitude 4.8952 E")).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>
    /// A tiny PNG whose header declares <paramref name="width"/> × <paramref name="height"/> pixels: decoding it would
    /// need gigabytes (a decompression bomb).
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // truecolour
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", header);
        // A zlib stream of zeros: a few bytes that would inflate to the whole declared image.
        WriteChunk(file, "IDAT", [0x78, 0x9C, 0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0, 0xF7, 0x4F, 0x6D, 0x0E, 0x37, 0xA0, 0x00, 0x00, 0x00]);
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static (SKEncodedImageFormat Format, int Width, int Height, SKColor Centre, SKColor Corner) Inspect(byte[] file)
    {
        using var bitmap = SKBitmap.Decode(file) ?? throw new InvalidOperationException("Not an image.");
        using var codec = SKCodec.Create(SKData.CreateCopy(file));
        return (codec.EncodedFormat, bitmap.Width, bitmap.Height, bitmap.GetPixel(bitmap.Width / 2, bitmap.Height / 2), bitmap.GetPixel(2, 2));
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Red);
            using var green = new SKPaint { Color = SKColors.Lime };
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(width / 3f, 0, width / 3f, height, green);
            canvas.DrawRect(2 * width / 3f, 0, width - 2 * width / 3f, height, blue);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        file.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        file.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
