using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationSubjectIndexForRequestsOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_Kind_SubjectId",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Kind_SubjectId",
                table: "Notifications",
                columns: new[] { "Kind", "SubjectId" },
                filter: "\"Kind\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_Kind_SubjectId",
                table: "Notifications");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Kind_SubjectId",
                table: "Notifications",
                columns: new[] { "Kind", "SubjectId" });
        }
    }
}
