using System.Collections.Concurrent;
using OrderSaga.AppHost.Security;
using OrderSaga.Topology;

namespace OrderSaga.Testing;

/// <summary>
/// Tokens for the users of tests and benchmarks, issued through <see cref="DevelopmentTokens"/> as a user would get
/// them, each once and then reused.
/// </summary>
public sealed class TestTokens(DevelopmentTokens issuer)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _issued = new(StringComparer.Ordinal);

    /// <summary>Tokens for this solution's api project.</summary>
    public static TestTokens ForApi() => new(DevelopmentTokens.ForApi());

    /// <summary>A token naming <paramref name="userId"/>.</summary>
    public Task<string> ForUserAsync(string userId) =>
        _issued.GetOrAdd(userId, _ => new Lazy<Task<string>>(() => issuer.CreateAsync("--name", userId))).Value;

    /// <summary>A token naming <paramref name="userId"/> with the admin role.</summary>
    public Task<string> ForAdminAsync(string userId) =>
        _issued.GetOrAdd($"{AccessRoles.Admin}:{userId}",
            _ => new Lazy<Task<string>>(() => issuer.CreateAsync("--name", userId, "--role", AccessRoles.Admin))).Value;

    /// <summary>A token that expired long ago, for <paramref name="userId"/>.</summary>
    public Task<string> ExpiredAsync(string userId = "expired") =>
        issuer.CreateAsync("--name", userId, "--not-before", "2020-01-01", "--expires-on", "2020-01-02");

    /// <summary>A new token with the given <c>user-jwts create</c> options, such as <c>--expires-on</c>.</summary>
    public Task<string> CreateAsync(params string[] options) => issuer.CreateAsync(options);
}
