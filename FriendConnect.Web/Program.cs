using FriendConnect.Domain;
using FriendConnect.Web;
using FriendConnect.Web.Commands;
using FriendConnect.Web.Hosting;

var builder = WebApplication.CreateBuilder(FriendConnectHosting.Options(args));

builder.AddFriendConnectHosting();
builder.AddFriendConnectDomain();
builder.AddFriendConnectWeb();

// Disposed on every way out, so log lines written just before an early exit (a bad setting, a failed upgrade) are flushed.
await using var app = builder.Build();

if (await AdminCommands.TryRunAsync(app, args)) return;
if (!await app.InitializeDatabaseAsync()) return;

app.UseFriendConnectWeb();
app.Run();

public partial class Program;
