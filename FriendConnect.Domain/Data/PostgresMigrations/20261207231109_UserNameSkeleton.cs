using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class UserNameSkeleton : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UserNameSkeleton",
                table: "AspNetUsers",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            // Existing accounts get their skeleton (UserRules.UserNameSkeleton, in SQL). Where older accounts already read
            // alike, the first to join keeps it and the others keep none: their names stay, the index holds, and no new
            // account can take a name that reads like any of them (docs/decisions/020).
            migrationBuilder.Sql("""
                UPDATE "AspNetUsers"
                SET "UserNameSkeleton" = replace(replace(replace(replace(replace(lower("UserName"), 'i', 'l'), '1', 'l'), '0', 'o'), 'rn', 'm'), 'vv', 'w')
                WHERE "Id" IN (
                    SELECT "Id" FROM (
                        SELECT "Id", ROW_NUMBER() OVER (
                            PARTITION BY replace(replace(replace(replace(replace(lower("UserName"), 'i', 'l'), '1', 'l'), '0', 'o'), 'rn', 'm'), 'vv', 'w')
                            ORDER BY "CreatedAt", "Id") AS "Rank"
                        FROM "AspNetUsers"
                        WHERE "UserName" IS NOT NULL) AS "Ranked"
                    WHERE "Rank" = 1);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_UserNameSkeleton",
                table: "AspNetUsers",
                column: "UserNameSkeleton",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_UserNameSkeleton",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "UserNameSkeleton",
                table: "AspNetUsers");
        }
    }
}
