using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OrderSaga.Data;
using OrderSaga.Data.SchemaChanges;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Contract;

/// <summary>The migrations of this release only expand the schema the previous release runs on.</summary>
public sealed class MigrationSafetyTests
{
    public static TheoryData<string> NewMigrations()
    {
        var lastReleased = ShippedRelease.Previous.LastMigration;
        return [.. Migrations().Keys.Where(id => string.CompareOrdinal(id, lastReleased) > 0)];
    }



    [Theory]
    [MemberData(nameof(NewMigrations))]
    public void A_migration_newer_than_the_previous_release_only_expands(string id)
    {
        Assert.Empty(MigrationSafety.Problems(Migrations()[id]));
    }

    [Fact]
    public void Every_released_migration_is_still_there()
    {
        Assert.Contains("20261201233802_ClaimsByRoleAndRedriveMarks", Migrations().Keys);
    }

    public static TheoryData<string, string> UnsafeChanges => new()
    {
        { nameof(DropsAColumn), "drops column orders.cancel_reason" },
        { nameof(RenamesAColumn), "renames column processed_events.consumer" },
        { nameof(RewritesValues), "runs SQL that UPDATEs what the previous release reads" },
        { nameof(AddsARequiredColumn), "adds orders.channel as required without a default, which the previous release does not write" },
        { nameof(BuildsAnIndexInline), "builds index ix_orders_user_id_created_at on orders without CONCURRENTLY, blocking its writes while it builds" },
    };

    [Theory]
    [MemberData(nameof(UnsafeChanges))]
    public void An_unsafe_change_is_named(string migration, string expected)
    {
        var instance = (Migration)Activator.CreateInstance(typeof(MigrationSafetyTests).GetNestedType(migration, BindingFlags.NonPublic)!)!;

        Assert.Equal([expected], MigrationSafety.Problems(instance));
    }

    [Fact]
    public void Expanding_and_a_declared_contract_step_pass()
    {
        Assert.Empty(MigrationSafety.Problems(new Expands()));
        Assert.Empty(MigrationSafety.Problems(new ContractsWhatNobodyUses()));
    }

    private static Dictionary<string, Migration> Migrations()
    {
        using var db = new OrderSagaDbContext((DbContextOptions<OrderSagaDbContext>)new DbContextOptionsBuilder<OrderSagaDbContext>().UseNpgsql("Host=unused").UseOrderSagaConventions().Options);
        var assembly = db.GetService<IMigrationsAssembly>();
        return assembly.Migrations.ToDictionary(migration => migration.Key, migration => assembly.CreateMigration(migration.Value, "Npgsql.EntityFrameworkCore.PostgreSQL"));
    }

    private sealed class DropsAColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("cancel_reason", "orders");
    }

    private sealed class RenamesAColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.RenameColumn("consumer", "processed_events", "role");
    }

    private sealed class RewritesValues : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("UPDATE processed_events SET consumer = 'inventory' WHERE consumer = 'ReserveStockHandler'");
    }

    private sealed class AddsARequiredColumn : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.AddColumn<string>("channel", "orders", nullable: false);
    }

    private sealed class BuildsAnIndexInline : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateIndex("ix_orders_user_id_created_at", "orders", ["user_id", "created_at"]);
    }

    private sealed class Expands : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable("gift_notes", table => new { order_id = table.Column<Guid>(nullable: false), text = table.Column<string>(nullable: false) });
            migrationBuilder.CreateIndex("ix_gift_notes_text", "gift_notes", "text");
            migrationBuilder.AddColumn<string>("channel", "orders", nullable: true);
            migrationBuilder.AddColumn<int>("priority", "orders", nullable: false, defaultValue: 0);
            migrationBuilder.CreateIndex("ix_orders_channel", "orders", "channel").Annotation("Npgsql:CreatedConcurrently", true);
        }
    }

    [ContractStep("1.0.0", "orders.legacy_note, last read by 0.9")]
    private sealed class ContractsWhatNobodyUses : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("legacy_note", "orders");
    }
}
