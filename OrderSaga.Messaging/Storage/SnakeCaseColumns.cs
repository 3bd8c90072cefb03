using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSaga.Messaging.Storage;

/// <summary>
/// Messaging's own SQL names its tables' columns in snake case (<c>sent_at</c>), so its mapping names them so
/// itself instead of relying on the naming convention of whichever context it is mapped into.
/// </summary>
internal static partial class SnakeCaseColumns
{
    public static EntityTypeBuilder<TEntity> WithSnakeCaseColumns<TEntity>(this EntityTypeBuilder<TEntity> entity) where TEntity : class
    {
        foreach (var property in entity.Metadata.GetProperties())
        {
            property.SetColumnName(WordStart().Replace(property.Name, "_$1").ToLowerInvariant());
        }

        return entity;
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
