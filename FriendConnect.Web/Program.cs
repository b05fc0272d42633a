using FriendConnect.Domain;
using FriendConnect.Web;
using FriendConnect.Web.Hosting;

var builder = WebApplication.CreateBuilder(FriendConnectHosting.Options(args));

builder.AddFriendConnectHosting();
builder.AddFriendConnectDomain();
builder.AddFriendConnectWeb();

var app = builder.Build();

await app.InitializeDatabaseAsync();
app.UseFriendConnectWeb();

app.Run();

public partial class Program;
