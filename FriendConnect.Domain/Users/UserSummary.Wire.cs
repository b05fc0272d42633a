using System.Text.Json;
using System.Text.Json.Serialization;

namespace FriendConnect.Domain.Users;

public sealed partial record UserSummary
{
    /// <summary>
    /// Carries a summary the router already cut for its recipient from one node to another (<see cref="Notifications.LiveEventWire"/>).
    /// Internal: nothing else may turn JSON into a summary.
    /// </summary>
    internal sealed class WireConverter : JsonConverter<UserSummary>
    {
        public override UserSummary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var wire = JsonSerializer.Deserialize<Wire>(ref reader, options) ?? throw new JsonException("A user summary was null.");
            return new UserSummary(wire.Id, wire.UserName, wire.DisplayName, wire.StatusText, wire.StatusAt, wire.PhotoVersion);
        }

        public override void Write(Utf8JsonWriter writer, UserSummary value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Wire(value.Id, value.UserName, value.DisplayName, value.StatusText, value.StatusAt, value._photoVersion), options);

        private sealed record Wire(string Id, string UserName, string DisplayName, string? StatusText, DateTime? StatusAt, string? PhotoVersion);
    }
}
