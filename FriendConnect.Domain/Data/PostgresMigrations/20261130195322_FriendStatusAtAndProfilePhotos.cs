using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FriendConnect.Domain.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class FriendStatusAtAndProfilePhotos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FriendStatusAt",
                table: "Friendships",
                type: "timestamp with time zone",
                nullable: true);

            // A database made before this column: each friendship starts from the friend's latest status.
            migrationBuilder.Sql("""
                UPDATE "Friendships"
                SET "FriendStatusAt" = (SELECT u."StatusAt" FROM "AspNetUsers" AS u WHERE u."Id" = "Friendships"."FriendId");
                """);

            migrationBuilder.AddColumn<bool>(
                name: "PhotoUploadsBlocked",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PhotoVersion",
                table: "AspNetUsers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PhotoUploads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PhotoUploads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PhotoUploads_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships",
                columns: new[] { "UserId", "FriendStatusAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PhotoUploads_UserId_CreatedAt",
                table: "PhotoUploads",
                columns: new[] { "UserId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PhotoUploads");

            migrationBuilder.DropIndex(
                name: "IX_Friendships_UserId_FriendStatusAt",
                table: "Friendships");

            migrationBuilder.DropColumn(
                name: "FriendStatusAt",
                table: "Friendships");

            migrationBuilder.DropColumn(
                name: "PhotoUploadsBlocked",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PhotoVersion",
                table: "AspNetUsers");
        }
    }
}
