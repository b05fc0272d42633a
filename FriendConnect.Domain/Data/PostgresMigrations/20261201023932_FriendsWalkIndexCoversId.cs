using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class FriendsWalkIndexCoversId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName_Id",
                table: "AspNetUsers",
                columns: new[] { "StatusAt", "NormalizedUserName", "Id" },
                descending: new[] { true, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName_Id",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName",
                table: "AspNetUsers",
                columns: new[] { "StatusAt", "NormalizedUserName" },
                descending: new[] { true, false });
        }
    }
}
