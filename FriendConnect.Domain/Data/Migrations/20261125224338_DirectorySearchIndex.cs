using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class DirectorySearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A trigram full-text index over each user's normalized names: the directory search ("any part of a display
            // name, or the start of a username") reads matching entries instead of every user. Triggers keep it in step.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "UserSearch" USING fts5("UserId" UNINDEXED, "NormalizedUserName", "NormalizedDisplayName", tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""
                INSERT INTO "UserSearch" ("UserId", "NormalizedUserName", "NormalizedDisplayName")
                SELECT "Id", coalesce("NormalizedUserName", ''), "NormalizedDisplayName" FROM "AspNetUsers";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AspNetUsers_UserSearch_Insert" AFTER INSERT ON "AspNetUsers" BEGIN
                    INSERT INTO "UserSearch" ("UserId", "NormalizedUserName", "NormalizedDisplayName")
                    VALUES (new."Id", coalesce(new."NormalizedUserName", ''), new."NormalizedDisplayName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AspNetUsers_UserSearch_Update" AFTER UPDATE OF "NormalizedUserName", "NormalizedDisplayName" ON "AspNetUsers" BEGIN
                    DELETE FROM "UserSearch" WHERE "UserId" = old."Id";
                    INSERT INTO "UserSearch" ("UserId", "NormalizedUserName", "NormalizedDisplayName")
                    VALUES (new."Id", coalesce(new."NormalizedUserName", ''), new."NormalizedDisplayName");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AspNetUsers_UserSearch_Delete" AFTER DELETE ON "AspNetUsers" BEGIN
                    DELETE FROM "UserSearch" WHERE "UserId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AspNetUsers_UserSearch_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AspNetUsers_UserSearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AspNetUsers_UserSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "UserSearch";""");
        }
    }
}
