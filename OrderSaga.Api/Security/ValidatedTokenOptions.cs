using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Api.Security;

/// <summary>How validated bearer tokens are remembered (<c>Authentication:ValidatedTokens</c> section).</summary>
public sealed class ValidatedTokenOptions
{
    public const string Section = "Authentication:ValidatedTokens";

    /// <summary>The longest a token is remembered, however long it is valid.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 10_000_000)]
    public int MaxTokens { get; set; } = 100_000;
}
