using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using OrderSaga.Data.SchemaChanges;

namespace OrderSaga.Tests.Contract;

/// <summary>
/// What a migration may do while the previous release still runs on the same database (expand, then contract): add
/// tables, nullable or defaulted columns and indexes built concurrently; never drop, rename or retype what that
/// release reads, nor rewrite its values, unless the migration is a <see cref="ContractStepAttribute"/>.
/// </summary>
public static partial class MigrationSafety
{
    /// <summary>Why <paramref name="migration"/> would break the previous release; empty when it only expands.</summary>
    public static IReadOnlyList<string> Problems(Migration migration)
    {
        if (migration.GetType().GetCustomAttribute<ContractStepAttribute>() is not null)
        {
            return [];
        }

        var operations = migration.UpOperations;
        var newTables = operations.OfType<CreateTableOperation>().Select(table => table.Name).ToHashSet();
        return [.. operations.Select(operation => Problem(operation, newTables)).OfType<string>()];
    }

    private static string? Problem(MigrationOperation operation, HashSet<string> newTables) => operation switch
    {
        DropTableOperation drop => $"drops table {drop.Name}",
        DropColumnOperation drop => $"drops column {drop.Table}.{drop.Name}",
        RenameTableOperation rename => $"renames table {rename.Name}",
        RenameColumnOperation rename => $"renames column {rename.Table}.{rename.Name}",
        AlterColumnOperation alter when alter.ClrType != alter.OldColumn.ClrType || alter.ColumnType != alter.OldColumn.ColumnType =>
            $"changes the type of {alter.Table}.{alter.Name}",
        AlterColumnOperation alter when !alter.IsNullable && alter.OldColumn.IsNullable => $"makes {alter.Table}.{alter.Name} required",
        AddColumnOperation add when !add.IsNullable && add.DefaultValue is null && add.DefaultValueSql is null && !newTables.Contains(add.Table) =>
            $"adds {add.Table}.{add.Name} as required without a default, which the previous release does not write",
        CreateIndexOperation index when !newTables.Contains(index.Table) && index["Npgsql:CreatedConcurrently"] is not true =>
            $"builds index {index.Name} on {index.Table} without CONCURRENTLY, blocking its writes while it builds",
        SqlOperation sql when Rewrites().Match(sql.Sql) is { Success: true } match => $"runs SQL that {match.Value.ToUpperInvariant()}s what the previous release reads",
        _ => null,
    };

    [GeneratedRegex(@"\b(update|delete|drop|truncate|rename)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Rewrites();
}
