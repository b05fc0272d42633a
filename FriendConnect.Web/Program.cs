using FriendConnect.Domain;
using FriendConnect.Web;
using FriendConnect.Web.Commands;

var builder = WebApplication.CreateBuilder(args);

builder.AddFriendConnectDomain();
builder.AddFriendConnectWeb();

var app = builder.Build();

if (await AdminCommands.TryRunAsync(app, args)) return;

await app.InitializeDatabaseAsync();
app.UseFriendConnectWeb();

app.Run();

public partial class Program;
