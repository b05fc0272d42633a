using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.Migrations
{
    /// <summary>
    /// An indefinite suspension ends on 9999-12-31 instead of DateTime.MaxValue (whose last tick PostgreSQL cannot
    /// store): existing suspensions and their sign-in lockouts are rewritten, nothing else changes.
    /// </summary>
    public partial class IndefiniteSuspensionAsAPlainDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "AspNetUsers" SET "SuspendedUntil" = '9999-12-31 00:00:00' WHERE "SuspendedUntil" > '9999-12-31';
                """);
            migrationBuilder.Sql("""
                UPDATE "AspNetUsers" SET "LockoutEnd" = '9999-12-31 00:00:00+00:00' WHERE "LockoutEnd" > '9999-12-31 00:00:00+00:00';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "AspNetUsers" SET "SuspendedUntil" = '9999-12-31 23:59:59.9999999' WHERE "SuspendedUntil" = '9999-12-31 00:00:00';
                """);
            migrationBuilder.Sql("""
                UPDATE "AspNetUsers" SET "LockoutEnd" = '9999-12-31 23:59:59.9999999+00:00' WHERE "LockoutEnd" = '9999-12-31 00:00:00+00:00';
                """);
        }
    }
}
