using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderSaga.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReconcilerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_key_id",
                table: "outbox_messages",
                columns: new[] { "message_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_in_flight",
                table: "orders",
                column: "updated_at",
                filter: "status NOT IN ('SHIPPED', 'CANCELLED')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_message_key_id",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_orders_in_flight",
                table: "orders");
        }
    }
}
