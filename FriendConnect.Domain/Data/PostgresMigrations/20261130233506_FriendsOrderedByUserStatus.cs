using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class FriendsOrderedByUserStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships");

            migrationBuilder.DropColumn(
                name: "FriendStatusAt",
                table: "Friendships");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName",
                table: "AspNetUsers",
                columns: new[] { "StatusAt", "NormalizedUserName" },
                descending: new[] { true, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_StatusAt_NormalizedUserName",
                table: "AspNetUsers");

            migrationBuilder.AddColumn<DateTime>(
                name: "FriendStatusAt",
                table: "Friendships",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships",
                columns: new[] { "UserId", "FriendStatusAt" });
        }
    }
}
