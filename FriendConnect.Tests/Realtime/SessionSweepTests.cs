using System.Diagnostics;
using FriendConnect.Bench.Capacity;
using FriendConnect.Bench.Shared;
using FriendConnect.Domain.Data;
using FriendConnect.Tests.Api;
using FriendConnect.Tests.Infrastructure;
using FriendConnect.Web.Realtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FriendConnect.Tests.Realtime;

/// <summary>
/// A security stamp changed outside this process (the <c>users reset-password</c> command, another node while Redis is
/// down) reaches no live event here; the node's revalidation sweep ends the open tabs and streams it made stale.
/// </summary>
public sealed class SessionSweepCircuitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Navigate = "Blazor._internal.navigationManager.navigateTo";
    private readonly AppFactory _app = new(new Dictionary<string, string> { ["Bench:Enabled"] = "true" });

    public Task InitializeAsync()
    {
        _app.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_password_reset_from_the_command_line_sends_an_open_tab_to_the_signed_out_page_within_five_seconds()
    {
        await _app.CreateUserAsync("pat", "Pat Opentab");
        await _app.CreateUserAsync("kim", "Kim Bystander");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_app.BaseUrl), Timeout = TimeSpan.FromMinutes(2),
        };
        var dashboard = new Uri(new Uri(_app.BaseUrl), "/dashboard");
        await using var tab = await HeadlessCircuit.OpenAsync(http, dashboard, await BenchSessions.SignInAsync(http, "pat"), "fc-interactive");
        await using var bystander = await HeadlessCircuit.OpenAsync(http, dashboard, await BenchSessions.SignInAsync(http, "kim"), "fc-interactive");
        var signedOut = tab.WaitForJsCallAsync(Navigate, "Account/SignedOut");
        var bystanderSignedOut = bystander.WaitForJsCallAsync(Navigate, "Account/SignedOut");

        await CommandLine.ResetPasswordAsync(_app.Database, "pat");
        var clock = Stopwatch.StartNew();

        await signedOut.WaitAsync(SessionEndTests.OutsideChangeDeadline);
        output.WriteLine($"command-line reset: the tab went to the signed-out page {clock.ElapsedMilliseconds} ms after the command returned");
        Assert.False(bystanderSignedOut.IsCompleted, "another person's tab was signed out too");
    }
}

/// <summary>Sessions:SweepBatchSize = 20 and a sweep that waits for the test to run it, with the SQL the app sends recorded.</summary>
public sealed class SweepCountingApiFactory : ApiFactory
{
    public const int BatchSize = 20;

    public SqlRecorder Sql { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RequestsPerMinute"] = "100000",
        ["Sessions:SweepInterval"] = "01:00:00",
        ["Sessions:SweepBatchSize"] = BatchSize.ToString(),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<FriendConnectDbContext>(options => options.AddInterceptors(Sql));
            services.ConfigureDbContext<PostgresFriendConnectDbContext>(options => options.AddInterceptors(Sql));
        });
    }
}

public sealed class SessionSweepQueryTests(SweepCountingApiFactory app) : IClassFixture<SweepCountingApiFactory>
{
    private const int Streams = 50;
    private const int Changed = 5;

    [Fact]
    public async Task One_sweep_of_fifty_open_streams_reads_the_accounts_in_one_query_per_batch_and_ends_only_the_stale_ones()
    {
        var users = await app.UsersAsync(Streams);
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streams = new List<SseConnection>();
        try
        {
            foreach (var user in users) streams.Add(await SseConnection.OpenAsync(user, null, overall.Token));
            var stale = users.Take(Changed).Select(u => u.Id).ToList();
            await using (var db = app.NewDb())
                await db.Users.Where(u => stale.Contains(u.Id))
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.SecurityStamp, "changed outside this process"), overall.Token);

            app.Sql.Take();
            app.Sql.Recording = true;
            var ended = await app.Services.GetRequiredService<SessionSweep>().SweepAsync(overall.Token);
            app.Sql.Recording = false;

            var queries = app.Sql.Take();
            Assert.Equal((Streams + SweepCountingApiFactory.BatchSize - 1) / SweepCountingApiFactory.BatchSize, queries.Count);
            Assert.Equal(Changed, ended);
            for (var i = 0; i < Changed; i++)
                Assert.Equal("signed-out", (await streams[i].NextAsync(overall.Token)).Event);
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
        }
    }
}
