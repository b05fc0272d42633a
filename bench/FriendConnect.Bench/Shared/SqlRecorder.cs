using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace FriendConnect.Bench.Shared;

/// <summary>Records the SQL (and parameter values) EF sends while <see cref="Recording"/> is on.</summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly List<RecordedCommand> _commands = [];
    public volatile bool Recording;

    public IReadOnlyList<RecordedCommand> Take()
    {
        lock (_commands)
        {
            var copy = _commands.ToList();
            _commands.Clear();
            return copy;
        }
    }

    private void Record(DbCommand command)
    {
        if (!Recording) return;
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList();
        // Npgsql's parameters carry their PostgreSQL types (arrays, timestamptz): EXPLAIN gets exact copies.
        var npgsql = command.Parameters.OfType<NpgsqlParameter>().Select(p => p.Clone()).ToList();
        lock (_commands) _commands.Add(new RecordedCommand(command.CommandText, parameters, npgsql));
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}

public sealed record RecordedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters,
    IReadOnlyList<NpgsqlParameter> NpgsqlParameters)
{
    /// <summary>PostgreSQL's EXPLAIN (estimates only, nothing is run) for this command, one line a plan node.</summary>
    public List<string> ExplainPostgres(string connectionString)
    {
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand("EXPLAIN " + Sql, conn);
        foreach (var p in NpgsqlParameters) cmd.Parameters.Add(p.Clone());
        var lines = new List<string>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) lines.Add(reader.GetString(0));
        return lines;
    }

    /// <summary>
    /// Whether a PostgreSQL plan reads a whole table of some size: a "Seq Scan on X" with X in <paramref name="largeTables"/>
    /// (the planner rightly scans a table of a few pages, so only tables that grow with the site count) whose parent node
    /// is not a Limit (a scan straight under a Limit stops once it has enough rows).
    /// </summary>
    public static bool PostgresFullScan(IReadOnlyList<string> plan, IReadOnlySet<string> largeTables)
    {
        static int Indent(string line) => line.Length - line.TrimStart().Length;
        static string Node(string line) => line.TrimStart().StartsWith("->") ? line.TrimStart()[2..].TrimStart() : line.TrimStart();
        for (var i = 0; i < plan.Count; i++)
        {
            var m = System.Text.RegularExpressions.Regex.Match(Node(plan[i]), @"^Seq Scan on ""?(\w+)""?");
            if (!m.Success || !largeTables.Contains(m.Groups[1].Value)) continue;
            // The parent: the nearest node line above with less indentation (detail lines such as "Filter:" are not nodes).
            var parent = Enumerable.Range(0, i).Reverse().Select(k => plan[k])
                .FirstOrDefault(l => Indent(l) < Indent(plan[i]) && (l.TrimStart().StartsWith("->") || Indent(l) == 0));
            if (parent is null || !Node(parent).StartsWith("Limit")) return true;
        }
        return false;
    }

    /// <summary>EXPLAIN QUERY PLAN for this command, as an indented tree.</summary>
    public List<string> Explain(string dbPath)
    {
        using var conn = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + Sql;
        foreach (var (name, value) in Parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var rows = new List<(int Id, int Parent, string Detail)>();
        using (var reader = cmd.ExecuteReader())
            while (reader.Read()) rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(3)));
        var depth = new Dictionary<int, int> { [0] = -1 };
        var lines = new List<string>();
        foreach (var (id, parent, detail) in rows)
        {
            var d = depth.TryGetValue(parent, out var pd) ? pd + 1 : 0;
            depth[id] = d;
            lines.Add(new string(' ', d * 2) + detail);
        }
        return lines;
    }

    /// <summary>Plan lines that read a whole table (SCAN without an index).</summary>
    public static bool IsFullScan(string line)
    {
        var t = line.Trim();
        // A virtual table (FTS5) with constraints in its index string ("INDEX 0:L2") answers from its own index.
        if (t.Contains("VIRTUAL TABLE INDEX ")) return t.EndsWith(':') || !t.Contains(':');
        return t.StartsWith("SCAN ") && !t.Contains("USING INDEX") && !t.Contains("USING COVERING INDEX")
            && !t.Contains("USING INTEGER PRIMARY KEY") && !t.StartsWith("SCAN CONSTANT");
    }
}
