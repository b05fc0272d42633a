using FriendConnect.Domain.Common;
using Microsoft.AspNetCore.WebUtilities;

namespace FriendConnect.Web.Api;

/// <summary>
/// Every paged list in the API answers in one shape: the items, the cursor of the next page and a link to it (the
/// same request with that cursor), both null on the last page. Clients pass cursor and limit, nothing else.
/// </summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? NextCursor, string? Next);

internal static class CursorPages
{
    public static CursorPage<T> Of<T>(IReadOnlyList<T> items, string? nextCursor, HttpContext context) =>
        new(items, nextCursor, nextCursor is null ? null : NextLink(context, nextCursor));

    /// <summary>A counted page read from <paramref name="skip"/>: its cursor is where the next one starts.</summary>
    public static CursorPage<T> Of<T>(Page<T> page, int skip, HttpContext context)
    {
        var end = skip + page.Items.Count;
        var more = end < page.TotalCount || (page.TotalIsLowerBound && page.Items.Count > 0);
        return Of(page.Items, more ? end.ToString() : null, context);
    }

    /// <summary>Cursors of counted lists are positions; anything else is refused as a bad cursor.</summary>
    public static bool TryParsePosition(string? cursor, out int skip)
    {
        skip = 0;
        return string.IsNullOrEmpty(cursor) || (int.TryParse(cursor, out skip) && skip >= 0);
    }

    private static string NextLink(HttpContext context, string cursor)
    {
        var request = context.Request;
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(parameter => parameter.Key != "cursor")
            .SelectMany(parameter => parameter.Value.Select(value => new KeyValuePair<string, string?>(parameter.Key, value)))
            .Append(new("cursor", cursor));
        return QueryHelpers.AddQueryString($"{request.PathBase}{request.Path}", query);
    }
}
