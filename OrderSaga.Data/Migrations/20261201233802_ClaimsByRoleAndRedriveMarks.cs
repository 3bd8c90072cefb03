using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderSaga.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimsByRoleAndRedriveMarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "redriven_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            // Claims were named after handler classes; they are the role's now, so a renamed class cannot act twice.
            migrationBuilder.Sql(ClaimsRenamed(("ReserveStockHandler", "inventory"), ("ReleaseStockHandler", "inventory"),
                ("ChargePaymentHandler", "payment"), ("ShipOrderHandler", "delivery"), ("OrderStatusProjector", "status-updater")));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ClaimsRenamed(("inventory", "ReserveStockHandler"), ("payment", "ChargePaymentHandler"),
                ("delivery", "ShipOrderHandler"), ("status-updater", "OrderStatusProjector")));
            migrationBuilder.DropColumn(
                name: "redriven_at",
                table: "outbox_messages");
        }

        private static string ClaimsRenamed(params (string From, string To)[] renames) =>
            $"UPDATE processed_events SET consumer = CASE consumer {string.Join(" ", renames.Select(r => $"WHEN '{r.From}' THEN '{r.To}'"))} ELSE consumer END "
            + $"WHERE consumer IN ({string.Join(", ", renames.Select(r => $"'{r.From}'"))})";
    }
}
