namespace FriendConnect.Domain.Common;

/// <summary>How many items one page may hold. Services clamp what a caller asks for; endpoints only pass it on.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The page size to use: what was asked for (or the default), between 1 and <paramref name="max"/>.</summary>
    public static int Take(int? requested, int max = MaxPageSize) => Math.Clamp(requested ?? DefaultPageSize, 1, max);

    /// <summary>How many items to skip: never fewer than none.</summary>
    public static int Skip(int? requested) => Math.Max(0, requested ?? 0);
}
