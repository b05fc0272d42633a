using FriendConnect.Domain.Data;
using FriendConnect.Domain.Privacy;
using FriendConnect.Domain.Users;
using FriendConnect.Tests.Domain;
using FriendConnect.Tests.Infrastructure;

namespace FriendConnect.Tests;

/// <summary>
/// The directory search answers from SQLite's FTS5 trigram table on one engine and from a pg_trgm index on the other:
/// the same people, in the same order, with the same totals, for the same data.
/// </summary>
public sealed class SearchParityTests : IAsyncLifetime
{
    private readonly DomainFixture _sqlite = new(DatabaseProvider.Sqlite);
    private readonly DomainFixture _postgres = new(DatabaseProvider.Postgres);

    private static readonly (string UserName, string DisplayName)[] People =
    [
        ("anna", "Anna Smith"), ("annabel", "Annabel Lee"), ("joanna", "Joanna Hanna"), ("hannah", "Hannah Montana"),
        ("Anne.Marie", "Anne-Marie Duval"), ("bob_ANN", "Robert Annan"), ("zoe", "Zoë Ångström"), ("zoey", "Zoey Angstrom"),
        ("smith1", "John SMITHERS"), ("smith2", "Mary smith"), ("blacksmith", "Black Smith"), ("nomatch", "Quiet Person"),
        ("x_y", "Under_Score 100%"), ("digits99", "Agent 0099"), ("hidden", "Anna Hidden"), ("blocker", "Anna Blocker"),
        ("ZZtop", "Band Anna"), ("o'brien", "Conan O'Brien"), ("muller", "Jürgen Müller"), ("mueller", "Juergen Mueller"),
    ];

    private static readonly string[] Terms =
    [
        "ann", "ANNA", "an", "a", "smith", "SMI", "zoë", "Ång", "angstrom", "müller", "ller", "0099", "o'b", "x_y", "100%",
        "_", "%", "nobody-here", "anna smith", "ANNE-", "z",
    ];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_sqlite.InitializeAsync(), _postgres.InitializeAsync());
        foreach (var app in new[] { _sqlite, _postgres })
        {
            await app.SeedUsersAsync(People);
            var viewer = await app.SeedUserAsync("viewer", "The Viewer");
            var privacy = app.Get<PrivacyService>();
            var hidden = await app.Get<UserDirectory>().FindIdAsync(null, "hidden");
            await using (var db = app.NewDbContext())
            {
                var user = await db.Users.FindAsync(hidden);
                user!.Privacy.ShowInDirectory = false;
                await db.SaveChangesAsync();
            }
            var blocker = await app.Get<UserDirectory>().FindIdAsync(null, "blocker");
            (await privacy.BlockAsync(blocker!, viewer.Id)).ShouldSucceed();
        }
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Both_engines_find_the_same_people_in_the_same_order()
    {
        foreach (var viewerName in new[] { null, "viewer" })
        foreach (var term in Terms)
        {
            var sqlite = await SearchAsync(_sqlite, viewerName, term);
            var postgres = await SearchAsync(_postgres, viewerName, term);
            Assert.True(sqlite == postgres, $"Search \"{term}\" as {viewerName ?? "a visitor"}:\n  SQLite:     {sqlite}\n  PostgreSQL: {postgres}");
        }
        // The comparison means something only if the searches find people.
        Assert.Contains("annabel", await SearchAsync(_sqlite, null, "ann"));
        Assert.Contains("mueller", await SearchAsync(_postgres, null, "ller"));
    }

    /// <summary>Every page of the offset-paged directory and of the keyset-paged one, with totals, as one line.</summary>
    private static async Task<string> SearchAsync(DomainFixture app, string? viewerName, string term)
    {
        var directory = app.Get<UserDirectory>();
        var viewerId = viewerName is null ? null : await directory.FindIdAsync(null, viewerName);
        var pages = new List<string>();
        for (var skip = 0; ; skip += 3)
        {
            var page = await directory.SearchAsync(viewerId, term, skip, 3);
            pages.Add($"{page.TotalCount}{(page.TotalIsLowerBound ? "+" : "")}:{string.Join(",", page.Items.Select(u => u.User.UserName))}");
            if (page.Items.Count < 3) break;
        }
        string? after = null;
        do
        {
            var page = await directory.SearchAfterAsync(viewerId, term, after, 4);
            pages.Add("k:" + string.Join(",", page.Items.Select(u => u.User.UserName)));
            after = page.Next;
        } while (after is not null);
        return string.Join(" | ", pages);
    }
}
