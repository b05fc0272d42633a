using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using FriendConnect.Domain.Users;

namespace FriendConnect.Web.Api;

public static class AccountDataEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>"Download my data": everything FriendConnect holds about the signed-in person, as a JSON file.</summary>
    public static IEndpointRouteBuilder MapAccountDataEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/data", async (ClaimsPrincipal principal, AccountExportService exports, CancellationToken ct) =>
            {
                var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
                var export = userId is null ? null : await exports.ExportAsync(userId, ct);
                if (export is null) return Results.NotFound();
                var bytes = JsonSerializer.SerializeToUtf8Bytes(export, Json);
                return Results.File(bytes, "application/json", $"friendconnect-{export.Profile.UserName}.json");
            })
            .RequireAuthorization()
            .WithName("DownloadMyData")
            .ExcludeFromDescription();
        return app;
    }
}
