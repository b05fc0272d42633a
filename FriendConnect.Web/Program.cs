using FriendConnect.Domain;
using FriendConnect.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddFriendConnectDomain();
builder.AddFriendConnectWeb();

var app = builder.Build();

await app.InitializeDatabaseAsync();
app.UseFriendConnectWeb();

app.Run();

public partial class Program;
