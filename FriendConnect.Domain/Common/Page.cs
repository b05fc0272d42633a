namespace FriendConnect.Domain.Common;

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount)
{
    /// <summary>True when counting stopped at a limit: there are at least <see cref="TotalCount"/> items ("1,000+").</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool TotalIsLowerBound { get; init; }
}

/// <summary>A keyset page: <see cref="Next"/> is null on the last page.</summary>
public sealed record KeysetPage<T, TCursor>(IReadOnlyList<T> Items, TCursor? Next) where TCursor : class;
