using System.Diagnostics;
using System.Globalization;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace FriendConnect.Bench.Data;

/// <summary>A generated dataset copied into a PostgreSQL database.</summary>
public sealed record PostgresDataset(string ConnectionString, double LoadSeconds, Dictionary<string, long> Rows);

/// <summary>
/// Copies a generated SQLite database row for row into an empty PostgreSQL database whose schema comes from the app's
/// PostgreSQL migrations, so both engines hold exactly the same data. Every column the two schemas share is copied,
/// the denormalised ones included (<c>AspNetUsers.StatusText/StatusAt</c>); SQLite's
/// FTS5 search table has no rows to copy on PostgreSQL, where the migrations' trigram indexes index the names in place.
/// Binary COPY with foreign-key triggers off and secondary indexes dropped during the load and rebuilt after, then
/// VACUUM ANALYZE, so the visibility map and statistics are those of a settled database, as autovacuum leaves it.
/// </summary>
public static class PostgresLoader
{
    public static async Task<PostgresDataset> LoadAsync(Dataset data, string connectionString)
    {
        var total = Stopwatch.StartNew();
        await using (var domain = await BenchDomain.OpenPostgresAsync(connectionString))
        await using (var db = await domain.Get<IDbContextFactory<PostgresFriendConnectDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();

        await using var pg = new NpgsqlConnection(connectionString);
        await pg.OpenAsync();
        // Rows are copied as they are, so the foreign keys already hold; checking them row by row only slows the load.
        await ExecAsync(pg, "SET session_replication_role = replica; SET maintenance_work_mem = '256MB'");
        var indexes = await SecondaryIndexesAsync(pg);
        foreach (var (name, _) in indexes) await ExecAsync(pg, $"DROP INDEX \"{name}\"");

        await using var sqlite = new SqliteConnection($"Data Source={data.Path};Mode=ReadOnly;Pooling=False");
        await sqlite.OpenAsync();
        var sqliteTables = await SqliteTablesAsync(sqlite);
        var rows = new Dictionary<string, long>();
        foreach (var (table, columns) in await PostgresTablesAsync(pg))
        {
            if (!sqliteTables.TryGetValue(table, out var sqliteColumns)) continue;
            var shared = columns.Where(c => sqliteColumns.Contains(c.Name)).ToList();
            var missing = columns.Where(c => !sqliteColumns.Contains(c.Name) && !c.HasDefault && !c.Nullable).Select(c => c.Name).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"{table}: the SQLite database has no {string.Join(", ", missing)}, which PostgreSQL requires.");
            rows[table] = Copy(sqlite, pg, table, shared);
        }

        foreach (var (_, sql) in indexes) await ExecAsync(pg, sql);
        await ExecAsync(pg, "SET session_replication_role = DEFAULT");
        // Identity columns were given their values: the next insert must continue after them.
        foreach (var (table, columns) in await PostgresTablesAsync(pg))
            foreach (var c in columns.Where(c => c.IsIdentity))
                await ExecAsync(pg, $"""SELECT setval(pg_get_serial_sequence('"{table}"', '{c.Name}'), COALESCE((SELECT max("{c.Name}") FROM "{table}"), 0) + 1, false)""");
        await ExecAsync(pg, "VACUUM (ANALYZE)");
        return new PostgresDataset(connectionString, total.Elapsed.TotalSeconds, rows);
    }

    private sealed record Column(string Name, string Type, bool Nullable, bool HasDefault, bool IsIdentity);

    private static long Copy(SqliteConnection sqlite, NpgsqlConnection pg, string table, List<Column> columns)
    {
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        using var read = sqlite.CreateCommand();
        read.CommandText = $"SELECT {list} FROM \"{table}\"";
        using var reader = read.ExecuteReader();
        var types = columns.Select(c => TypeOf(table, c)).ToArray();
        long count = 0;
        using (var writer = pg.BeginBinaryImport($"COPY \"{table}\" ({list}) FROM STDIN (FORMAT BINARY)"))
        {
            while (reader.Read())
            {
                writer.StartRow();
                for (var i = 0; i < types.Length; i++)
                {
                    if (reader.IsDBNull(i)) writer.WriteNull();
                    else WriteValue(writer, reader, i, types[i]);
                }
                count++;
            }
            writer.Complete();
        }
        return count;
    }

    private static NpgsqlDbType TypeOf(string table, Column c) => c.Type switch
    {
        "text" => NpgsqlDbType.Text,
        "character varying" => NpgsqlDbType.Varchar,
        "integer" => NpgsqlDbType.Integer,
        "bigint" => NpgsqlDbType.Bigint,
        "smallint" => NpgsqlDbType.Smallint,
        "boolean" => NpgsqlDbType.Boolean,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "bytea" => NpgsqlDbType.Bytea,
        "jsonb" => NpgsqlDbType.Jsonb,
        "double precision" => NpgsqlDbType.Double,
        _ => throw new NotSupportedException($"{table}.{c.Name}: no copy rule for PostgreSQL type {c.Type}."),
    };

    /// <summary>SQLite's stored form (TEXT times, INTEGER booleans) as the PostgreSQL column's type.</summary>
    private static void WriteValue(NpgsqlBinaryImporter writer, SqliteDataReader reader, int i, NpgsqlDbType type)
    {
        switch (type)
        {
            case NpgsqlDbType.Integer: writer.Write(reader.GetInt32(i), type); break;
            case NpgsqlDbType.Bigint: writer.Write(reader.GetInt64(i), type); break;
            case NpgsqlDbType.Smallint: writer.Write(reader.GetInt16(i), type); break;
            case NpgsqlDbType.Boolean: writer.Write(reader.GetInt64(i) != 0, type); break;
            case NpgsqlDbType.Double: writer.Write(reader.GetDouble(i), type); break;
            case NpgsqlDbType.Bytea: writer.Write((byte[])reader.GetValue(i), type); break;
            // DateTime is stored as "yyyy-MM-dd HH:mm:ss.FFFFFFF" (UTC by the app's convention), DateTimeOffset with "+00:00".
            // PostgreSQL keeps microseconds: the seventh decimal (100 ns) is dropped (Npgsql truncates).
            case NpgsqlDbType.TimestampTz:
                writer.Write(DateTime.Parse(reader.GetString(i), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), type);
                break;
            default: writer.Write(reader.GetString(i), type); break;
        }
    }

    private static async Task<List<(string Table, List<Column> Columns)>> PostgresTablesAsync(NpgsqlConnection pg)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES', c.column_default IS NOT NULL, c.is_identity = 'YES'
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '__EFMigrationsHistory'
            ORDER BY c.table_name, c.ordinal_position
            """, pg);
        var tables = new List<(string, List<Column>)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (tables.Count == 0 || tables[^1].Item1 != table) tables.Add((table, []));
            tables[^1].Item2.Add(new Column(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5)));
        }
        return tables;
    }

    private static async Task<Dictionary<string, HashSet<string>>> SqliteTablesAsync(SqliteConnection sqlite)
    {
        var names = new List<string>();
        await using (var cmd = sqlite.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        }
        var tables = new Dictionary<string, HashSet<string>>();
        foreach (var name in names)
        {
            await using var cmd = sqlite.CreateCommand();
            cmd.CommandText = "SELECT name FROM pragma_table_info($t)";
            cmd.Parameters.AddWithValue("$t", name);
            await using var reader = await cmd.ExecuteReaderAsync();
            var columns = new HashSet<string>();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
            tables[name] = columns;
        }
        return tables;
    }

    /// <summary>Indexes that back no constraint (the primary keys stay: COPY fills them in key order).</summary>
    private static async Task<List<(string Name, string Sql)>> SecondaryIndexesAsync(NpgsqlConnection pg)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """, pg);
        var indexes = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        return indexes;
    }

    private static async Task ExecAsync(NpgsqlConnection pg, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, pg);
        await cmd.ExecuteNonQueryAsync();
    }
}
