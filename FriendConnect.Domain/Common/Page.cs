namespace FriendConnect.Domain.Common;

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>A keyset page: <see cref="Next"/> is null on the last page.</summary>
public sealed record KeysetPage<T, TCursor>(IReadOnlyList<T> Items, TCursor? Next) where TCursor : class;
