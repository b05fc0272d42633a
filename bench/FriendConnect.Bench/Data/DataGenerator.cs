using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace FriendConnect.Bench.Data;

/// <summary>What a generated database holds, and who its interesting users are.</summary>
public sealed record Dataset(
    int Users, int Seed, string Path,
    long FriendshipRows, long Statuses, long PendingRequests, long Notifications,
    double LoadSeconds, DateTime Epoch,
    // Users with exactly these friend counts: 5,000 (the cap) and 1,000, where the size allows.
    string? Hub5000Id, string? Hub1000Id,
    // A user of typical degree (close to the mean) with pending requests both ways, for dashboard and feed.
    string TypicalUserId, string TypicalUserName, int TypicalDegree,
    // A search term that matches a realistic share of display names (a first name).
    string SearchTerm)
{
    public string BenchPassword => DataGenerator.Password;
}

/// <summary>
/// Deterministic bulk loader: same (users, seed) → byte-for-byte the same rows. Creates the schema with the app's
/// own migrations, then writes with prepared commands in large transactions (WAL, synchronous=OFF, secondary
/// indexes dropped during the load and rebuilt after). Results are cached in bench/.data/.
/// </summary>
public static class DataGenerator
{
    public const int Version = 3;
    public const string Password = "Bench!pass123";
    public static readonly DateTime Epoch = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    public static string DataDir => System.IO.Path.Combine(PerformanceReport.RepoRoot, "bench", ".data");

    private static readonly string[] First =
    [
        "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jack", "Kate", "Leo", "Mia", "Noah",
        "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Amir",
        "Bianca", "Carlos", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jonas", "Keiko", "Lars", "Maya", "Nils",
        "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Ursula", "Vera", "Wei", "Yusuf", "Zainab",
    ];

    private static readonly string[] Last =
    [
        "Smith", "Jones", "Garcia", "Müller", "Rossi", "Dubois", "Nowak", "Silva", "Kim", "Tanaka", "Novak", "Olsen",
        "Costa", "Meyer", "Khan", "Ivanova", "Larsen", "Moreau", "Fischer", "Bauer", "Kowalski", "Santos", "Nguyen",
        "Chen", "Patel", "Ahmed", "Cohen", "Berg", "Lund", "Weber", "Hoffmann", "Schulz", "Martin", "Bernard", "Petit",
        "Romano", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Ferrari", "Esposito", "Russo", "Lopez",
        "Perez", "Sanchez", "Ramirez", "Torres",
    ];

    private static readonly string[] Words =
    [
        "coffee", "morning", "run", "finally", "weekend", "new", "book", "reading", "great", "day", "at", "the", "beach",
        "with", "friends", "working", "on", "a", "project", "tired", "happy", "rainy", "sunny", "concert", "tonight",
        "anyone", "up", "for", "lunch", "just", "moved", "to", "city", "love", "this", "song", "trip", "mountains",
        "cooking", "dinner", "family", "garden", "is", "blooming", "exam", "done", "cat", "dog", "movie", "night",
    ];

    /// <summary>The cached database for (users, seed), generating it on first use.</summary>
    public static async Task<Dataset> EnsureAsync(int users, int seed = 42, bool log = true)
    {
        Directory.CreateDirectory(DataDir);
        var path = System.IO.Path.Combine(DataDir, $"fc-{users}-s{seed}-v{Version}.db");
        var meta = path + ".json";
        if (File.Exists(path) && File.Exists(meta))
        {
            var cached = JsonSerializer.Deserialize<Dataset>(await File.ReadAllTextAsync(meta))!;
            // The app's migrations may have moved on since the file was made: bring the schema up to date.
            await using (await BenchDomain.OpenAsync(path)) { }
            return cached with { Path = path };
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        var data = await GenerateAsync(users, seed, path, log);
        await File.WriteAllTextAsync(meta, JsonSerializer.Serialize(data, new JsonSerializerOptions { WriteIndented = true }));
        return data;
    }

    /// <summary>A private, writable copy of a dataset (for suites that post or serve traffic).</summary>
    public static string CopyOf(Dataset data, string name)
    {
        var target = System.IO.Path.Combine(DataDir, $"{name}.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(target + suffix);
        // The source is checkpointed when generation ends and only read since, so the main file is complete.
        using (var conn = new SqliteConnection($"Data Source={data.Path};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            cmd.ExecuteNonQuery();
        }
        File.Copy(data.Path, target);
        return target;
    }

    private static async Task<Dataset> GenerateAsync(int n, int seed, string path, bool log)
    {
        var total = Stopwatch.StartNew();
        // 1. Schema: the app's own migrations.
        await using (await BenchDomain.OpenAsync(path)) { }

        var rng = new Random(seed);
        var ids = new string[n];
        var userNames = new string[n];
        var displayNames = new string[n];
        var firstIdx = new int[n];
        var guidBytes = new byte[16];
        for (var i = 0; i < n; i++)
        {
            rng.NextBytes(guidBytes);
            guidBytes[7] = (byte)((guidBytes[7] & 0x0F) | 0x40);   // version 4 shape
            ids[i] = new Guid(guidBytes).ToString();
            var f = rng.Next(First.Length);
            var l = rng.Next(Last.Length);
            firstIdx[i] = f;
            displayNames[i] = $"{First[f]} {Last[l]}";
            userNames[i] = $"{Ascii(First[f])}.{Ascii(Last[l])}{i}".ToLowerInvariant();
        }
        // Ordinal rank of each id: rows are inserted in primary-key order.
        var rank = new int[n];
        var byId = Enumerable.Range(0, n).ToArray();
        Array.Sort(byId, (a, b) => string.CompareOrdinal(ids[a], ids[b]));
        for (var r = 0; r < n; r++) rank[byId[r]] = r;

        // 2. Friendships: hubs first, then a configuration model over a capped Pareto degree (mean ≈ 10 rows a user).
        var pairs = new HashSet<long>();
        var degree = new int[n];
        var hubs = new List<(int User, int Degree)>();
        if (n > 5000) hubs.Add((0, 5000));
        if (n > 2000) hubs.Add((1, 1000));
        if (n >= 100_000) { hubs.Add((2, 5000)); hubs.Add((3, 5000)); }
        var hubSet = hubs.Select(h => h.User).ToHashSet();
        foreach (var (hub, want) in hubs)
        {
            while (degree[hub] < want)
            {
                var other = rng.Next(n);
                if (hubSet.Contains(other)) continue;
                if (pairs.Add(Key(hub, other))) { degree[hub]++; degree[other]++; }
            }
        }
        var target = new int[n];
        long stubCount = 0;
        for (var i = 0; i < n; i++)
        {
            if (hubSet.Contains(i)) continue;
            // Pareto(xmin = 5, alpha = 2): mean 10, a long tail, capped well below the product's 5,000.
            var d = (int)Math.Floor(5 / Math.Sqrt(1 - rng.NextDouble()));
            target[i] = Math.Min(d, Math.Min(2000, n / 4));
            stubCount += target[i];
        }
        var stubs = new int[stubCount];
        long s = 0;
        for (var i = 0; i < n; i++)
            for (var k = 0; k < target[i]; k++) stubs[s++] = i;
        for (var i = stubs.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (stubs[i], stubs[j]) = (stubs[j], stubs[i]);
        }
        for (var i = 0; i + 1 < stubs.Length; i += 2)
        {
            var (a, b) = (stubs[i], stubs[i + 1]);
            if (a == b || degree[a] >= 4990 || degree[b] >= 4990) continue;
            if (pairs.Add(Key(a, b))) { degree[a]++; degree[b]++; }
        }
        stubs = [];
        var friendRows = new long[pairs.Count * 2];
        var fr = 0;
        foreach (var p in pairs)
        {
            var (a, b) = ((int)(p >> 32), (int)(p & 0xFFFFFFFF));
            friendRows[fr++] = ((long)rank[a] << 32) | (uint)rank[b];
            friendRows[fr++] = ((long)rank[b] << 32) | (uint)rank[a];
        }
        Array.Sort(friendRows);
        var friendsOf = new List<int>[n];

        // 3. Statuses: 0–20 per user (mean 10) over the last 60 days, inserted oldest first so ids follow time.
        var statusAuthor = new List<int>(n * 11);
        var statusTicks = new List<long>(n * 11);
        var window = TimeSpan.FromDays(60).Ticks;
        for (var i = 0; i < n; i++)
        {
            var count = rng.Next(21);
            for (var k = 0; k < count; k++)
            {
                statusAuthor.Add(i);
                statusTicks.Add(Epoch.Ticks - (long)(rng.NextDouble() * window));
            }
        }
        var statusOrder = Enumerable.Range(0, statusAuthor.Count).ToArray();
        var ticksArr = statusTicks.ToArray();
        Array.Sort(ticksArr, statusOrder);
        var latestStatus = new int[n];   // status index + 1 (0 = none)
        var statusesByAuthor = new List<int>?[n];
        for (var k = 0; k < statusOrder.Length; k++)
        {
            var author = statusAuthor[statusOrder[k]];
            latestStatus[author] = k + 1;
            (statusesByAuthor[author] ??= []).Add(k);   // k is the status's id - 1
        }

        // 4. Pending requests: about one for every two users, between people who are not friends.
        var pending = new List<(int From, int To, long Ticks)>();
        var pendingPairs = new HashSet<long>();
        for (var k = 0; k < n / 2; k++)
        {
            var a = rng.Next(n);
            var b = rng.Next(n);
            if (a == b || hubSet.Contains(a) || hubSet.Contains(b) || pairs.Contains(Key(a, b)) || !pendingPairs.Add(Key(a, b))) continue;
            pending.Add((a, b, Epoch.Ticks - (long)(rng.NextDouble() * TimeSpan.FromDays(14).Ticks)));
        }
        pending.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));

        // 5. Notifications: per user ~10 "friend posted" (70 % read) plus one "sent you a request" per pending request.
        foreach (var p in pairs)
        {
            var (a, b) = ((int)(p >> 32), (int)(p & 0xFFFFFFFF));
            (friendsOf[a] ??= []).Add(b);
            (friendsOf[b] ??= []).Add(a);
        }
        var notes = new List<(int Recipient, int Kind, int Actor, long Subject, long Ticks, bool Read)>(n * 11);
        for (var u = 0; u < n; u++)
        {
            var friends = friendsOf[u];
            if (friends is null) continue;
            var count = rng.Next(21);
            for (var k = 0; k < count; k++)
            {
                var actor = friends[rng.Next(friends.Count)];
                var theirs = statusesByAuthor[actor];
                if (theirs is null) continue;
                var status = theirs[rng.Next(theirs.Count)];
                notes.Add((u, 3, actor, status + 1, ticksArr[status], rng.NextDouble() < 0.7));
            }
        }
        for (var k = 0; k < pending.Count; k++)
            notes.Add((pending[k].To, 1, pending[k].From, k + 1, pending[k].Ticks, false));
        notes.Sort((x, y) => x.Ticks.CompareTo(y.Ticks));

        // The typical user: degree near the mean, with requests both ways.
        var incoming = pending.GroupBy(p => p.To).ToDictionary(g => g.Key, g => g.Count());
        var outgoing = pending.GroupBy(p => p.From).ToDictionary(g => g.Key, g => g.Count());
        var typical = Enumerable.Range(hubs.Count, n - hubs.Count)
            .Where(i => degree[i] is >= 9 and <= 12 && incoming.ContainsKey(i) && outgoing.ContainsKey(i) && statusesByAuthor[i] is not null)
            .DefaultIfEmpty(hubs.Count).First();

        // 6. Load.
        var hash = DeterministicPasswordHash(seed);
        var load = Stopwatch.StartNew();
        await using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        await conn.OpenAsync();
        Exec(conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");
        var indexes = new List<(string Name, string Sql)>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in indexes) Exec(conn, $"DROP INDEX \"{name}\";");

        var sUsers = Stopwatch.StartNew();
        Bulk(conn, """
            INSERT INTO "AspNetUsers" ("Id","AccessFailedCount","ConcurrencyStamp","CreatedAt","DisplayName","Email","EmailConfirmed",
              "LockoutEnabled","LockoutEnd","NormalizedDisplayName","NormalizedEmail","NormalizedUserName","PasswordHash","PhoneNumber",
              "PhoneNumberConfirmed","SecurityStamp","StatusAt","StatusText","SuspendedUntil","SuspensionReason","TwoFactorEnabled",
              "UserName","ShowInDirectory","WhoCanSendRequests","WhoSeesFriends","WhoSeesStatus")
            VALUES ($id,0,$cs,$created,$dn,$email,0,1,NULL,$ndn,$nemail,$nun,$hash,NULL,0,$ss,$sat,$stext,NULL,NULL,0,$un,$show,0,0,0)
            """, n, (cmd, r) =>
        {
            var i = byId[r];
            var email = userNames[i] + "@example.com";
            cmd.Parameters["$id"].Value = ids[i];
            cmd.Parameters["$cs"].Value = StampFor(seed, i, 1);
            cmd.Parameters["$created"].Value = Date(Epoch.AddDays(-400).AddMinutes(i % 500_000));
            cmd.Parameters["$dn"].Value = displayNames[i];
            cmd.Parameters["$email"].Value = email;
            cmd.Parameters["$ndn"].Value = displayNames[i].ToUpperInvariant();
            cmd.Parameters["$nemail"].Value = email.ToUpperInvariant();
            cmd.Parameters["$nun"].Value = userNames[i].ToUpperInvariant();
            cmd.Parameters["$hash"].Value = hash;
            cmd.Parameters["$ss"].Value = StampFor(seed, i, 2);
            var latest = latestStatus[i] - 1;
            cmd.Parameters["$sat"].Value = latest >= 0 ? Date(new DateTime(ticksArr[latest])) : DBNull.Value;
            cmd.Parameters["$stext"].Value = latest >= 0 ? StatusText(seed, latest) : DBNull.Value;
            cmd.Parameters["$un"].Value = userNames[i];
            cmd.Parameters["$show"].Value = i % 50 == 49 ? 0 : 1;   // 2 % keep out of the directory
        }, "$id", "$cs", "$created", "$dn", "$email", "$ndn", "$nemail", "$nun", "$hash", "$ss", "$sat", "$stext", "$un", "$show");
        sUsers.Stop();

        var sFriends = Stopwatch.StartNew();
        var friendCreated = Date(Epoch.AddDays(-100));
        Bulk(conn, """INSERT INTO "Friendships" ("UserId","FriendId","CreatedAt","NotifyAfterId") VALUES ($u,$f,$c,0)""", friendRows.Length, (cmd, r) =>
        {
            var row = friendRows[r];
            cmd.Parameters["$u"].Value = ids[byId[(int)(row >> 32)]];
            cmd.Parameters["$f"].Value = ids[byId[(int)(row & 0xFFFFFFFF)]];
            cmd.Parameters["$c"].Value = friendCreated;
        }, "$u", "$f", "$c");
        sFriends.Stop();

        var sStatuses = Stopwatch.StartNew();
        Bulk(conn, """INSERT INTO "StatusUpdates" ("Id","AuthorId","Text","CreatedAt","IsHidden") VALUES ($id,$a,$t,$c,0)""", statusOrder.Length, (cmd, k) =>
        {
            cmd.Parameters["$id"].Value = k + 1;
            cmd.Parameters["$a"].Value = ids[statusAuthor[statusOrder[k]]];
            cmd.Parameters["$t"].Value = StatusText(seed, k);
            cmd.Parameters["$c"].Value = Date(new DateTime(ticksArr[k]));
        }, "$id", "$a", "$t", "$c");
        sStatuses.Stop();

        Bulk(conn, """
            INSERT INTO "FriendRequests" ("Id","FromUserId","ToUserId","PairLowId","PairHighId","State","CreatedAt","RespondedAt")
            VALUES ($id,$f,$t,$lo,$hi,0,$c,NULL)
            """, pending.Count, (cmd, k) =>
        {
            var (from, to, ticks) = pending[k];
            var (lo, hi) = string.CompareOrdinal(ids[from], ids[to]) < 0 ? (ids[from], ids[to]) : (ids[to], ids[from]);
            cmd.Parameters["$id"].Value = k + 1;
            cmd.Parameters["$f"].Value = ids[from];
            cmd.Parameters["$t"].Value = ids[to];
            cmd.Parameters["$lo"].Value = lo;
            cmd.Parameters["$hi"].Value = hi;
            cmd.Parameters["$c"].Value = Date(new DateTime(ticks));
        }, "$id", "$f", "$t", "$lo", "$hi", "$c");

        var sNotes = Stopwatch.StartNew();
        Bulk(conn, """
            INSERT INTO "Notifications" ("Id","RecipientId","Kind","ActorId","SubjectId","CreatedAt","ReadAt")
            VALUES ($id,$r,$k,$a,$s,$c,$read)
            """, notes.Count, (cmd, k) =>
        {
            var note = notes[k];
            cmd.Parameters["$id"].Value = k + 1;
            cmd.Parameters["$r"].Value = ids[note.Recipient];
            cmd.Parameters["$k"].Value = note.Kind;
            cmd.Parameters["$a"].Value = ids[note.Actor];
            cmd.Parameters["$s"].Value = note.Subject;
            cmd.Parameters["$c"].Value = Date(new DateTime(note.Ticks));
            cmd.Parameters["$read"].Value = note.Read ? Date(new DateTime(note.Ticks).AddHours(1)) : DBNull.Value;
        }, "$id", "$r", "$k", "$a", "$s", "$c", "$read");
        sNotes.Stop();

        var sIndexes = Stopwatch.StartNew();
        foreach (var (_, sql) in indexes) Exec(conn, sql + ";");
        sIndexes.Stop();
        Exec(conn, "PRAGMA wal_checkpoint(TRUNCATE);");
        load.Stop();
        await conn.CloseAsync();

        var data = new Dataset(n, seed, path, friendRows.Length, statusOrder.Length, pending.Count, notes.Count,
            load.Elapsed.TotalSeconds, Epoch,
            hubs.FirstOrDefault(h => h.Degree == 5000) is { Degree: 5000 } h5 ? ids[h5.User] : null,
            hubs.FirstOrDefault(h => h.Degree == 1000) is { Degree: 1000 } h1 ? ids[h1.User] : null,
            ids[typical], userNames[typical], degree[typical], First[firstIdx[typical]].ToUpperInvariant());
        if (log)
            Console.WriteLine($"generated {n:N0} users, {friendRows.Length:N0} friendship rows, {statusOrder.Length:N0} statuses, " +
                $"{pending.Count:N0} pending requests, {notes.Count:N0} notifications: load {load.Elapsed.TotalSeconds:F1} s " +
                $"(users {sUsers.Elapsed.TotalSeconds:F1}, friendships {sFriends.Elapsed.TotalSeconds:F1}, statuses {sStatuses.Elapsed.TotalSeconds:F1}, " +
                $"notifications {sNotes.Elapsed.TotalSeconds:F1}, indexes {sIndexes.Elapsed.TotalSeconds:F1}); total with generation {total.Elapsed.TotalSeconds:F1} s");
        return data;
    }

    /// <summary>
    /// ASP.NET Core Identity's v3 password hash format (PBKDF2-HMAC-SHA512, 100,000 iterations, 128-bit salt, 256-bit key)
    /// with a salt taken from the seed instead of a random one, so the same seed writes the same bytes. Every generated
    /// user shares it: sign in as any of them with <see cref="Password"/>.
    /// </summary>
    private static string DeterministicPasswordHash(int seed)
    {
        var salt = new byte[16];
        new Random(seed ^ 0x5A17).NextBytes(salt);
        const int Iterations = 100_000;
        var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(Password), salt, Iterations, System.Security.Cryptography.HashAlgorithmName.SHA512, 32);
        var output = new byte[13 + salt.Length + key.Length];
        output[0] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), 2);   // KeyDerivationPrf.HMACSHA512
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), Iterations);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(output, 13);
        key.CopyTo(output, 13 + salt.Length);
        var hash = Convert.ToBase64String(output);
        if (new PasswordHasher<User>().VerifyHashedPassword(new User(), hash, Password) == PasswordVerificationResult.Failed)
            throw new InvalidOperationException("The generated password hash does not verify.");
        return hash;
    }

    private static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    private static string Date(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string Ascii(string s) => s.Replace("ü", "u").Replace("é", "e");

    private static string StampFor(int seed, int i, int salt)
    {
        var x = Mix((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)i * 31 ^ (ulong)salt << 56);
        var y = Mix(x);
        return new Guid((int)x, (short)(x >> 32), (short)(x >> 48), BitConverter.GetBytes(y)).ToString("N").ToUpperInvariant();
    }

    private static string StatusText(int seed, int statusIndex)
    {
        var x = Mix((ulong)statusIndex * 0xD1B54A32D192ED03UL ^ (ulong)seed);
        var count = 3 + (int)(x % 10);
        var sb = new StringBuilder();
        for (var k = 0; k < count; k++)
        {
            x = Mix(x);
            if (k > 0) sb.Append(' ');
            sb.Append(Words[x % (ulong)Words.Length]);
        }
        return sb.ToString();
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void Exec(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>One prepared insert, executed <paramref name="rows"/> times in transactions of 200,000 rows.</summary>
    private static void Bulk(SqliteConnection conn, string sql, int rows, Action<SqliteCommand, int> bind, params string[] parameters)
    {
        const int Batch = 200_000;
        for (var start = 0; start < rows; start += Batch)
        {
            using var tx = conn.BeginTransaction();
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
            cmd.Prepare();
            var end = Math.Min(rows, start + Batch);
            for (var r = start; r < end; r++)
            {
                bind(cmd, r);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }
}
