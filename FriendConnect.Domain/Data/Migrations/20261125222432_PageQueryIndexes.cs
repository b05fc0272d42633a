using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FriendConnect.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class PageQueryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_StatusUpdates_CreatedAt",
                table: "StatusUpdates",
                column: "CreatedAt");

            // The directory's listing, search and exact total read only these columns of each user: a covering index
            // lets the count and the display-name LIKE walk ~80-byte index entries instead of whole user rows.
            // Raw SQL because it mixes the owned privacy column with the user's own (see UserConfiguration).
            migrationBuilder.Sql(
                "CREATE INDEX \"IX_AspNetUsers_Directory\" ON \"AspNetUsers\" (\"NormalizedUserName\", \"ShowInDirectory\", \"NormalizedDisplayName\", \"Id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_AspNetUsers_Directory\";");

            migrationBuilder.DropIndex(
                name: "IX_StatusUpdates_CreatedAt",
                table: "StatusUpdates");
        }
    }
}
