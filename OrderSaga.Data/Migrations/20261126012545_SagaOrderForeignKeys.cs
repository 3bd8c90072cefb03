using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderSaga.Data.Migrations
{
    /// <inheritdoc />
    public partial class SagaOrderForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_payments_orders_order_id",
                table: "payments",
                column: "order_id",
                principalTable: "orders",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_shipments_orders_order_id",
                table: "shipments",
                column: "order_id",
                principalTable: "orders",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_stock_reservations_orders_order_id",
                table: "stock_reservations",
                column: "order_id",
                principalTable: "orders",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_payments_orders_order_id",
                table: "payments");

            migrationBuilder.DropForeignKey(
                name: "fk_shipments_orders_order_id",
                table: "shipments");

            migrationBuilder.DropForeignKey(
                name: "fk_stock_reservations_orders_order_id",
                table: "stock_reservations");
        }
    }
}
