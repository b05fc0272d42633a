using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class FriendshipLatestStatusAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FriendStatusAt",
                table: "Friendships",
                type: "TEXT",
                nullable: true);

            // Backfill from each friend's current status time (their user row already holds the newest visible one).
            migrationBuilder.Sql("""
                UPDATE "Friendships"
                SET "FriendStatusAt" = (SELECT u."StatusAt" FROM "AspNetUsers" AS u WHERE u."Id" = "Friendships"."FriendId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships",
                columns: new[] { "UserId", "FriendStatusAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships");

            migrationBuilder.DropColumn(
                name: "FriendStatusAt",
                table: "Friendships");
        }
    }
}
