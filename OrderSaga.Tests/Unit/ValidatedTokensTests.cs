using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderSaga.Api.Security;

namespace OrderSaga.Tests.Unit;

public sealed class ValidatedTokensTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly ClaimsPrincipal _alice = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "Bearer"));

    [Fact]
    public void A_validated_token_is_recalled_until_it_expires_and_not_after()
    {
        var tokens = Tokens();
        tokens.Remember("token-a", _alice, _time.GetUtcNow().AddSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(_alice, tokens.Recall("token-a"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Recall("token-a"));
    }

    [Fact]
    public void A_long_lived_token_is_validated_again_after_the_longest_time_a_token_is_remembered()
    {
        var tokens = Tokens(maxAge: TimeSpan.FromMinutes(5));
        tokens.Remember("token-a", _alice, _time.GetUtcNow().AddDays(30));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(tokens.Recall("token-a"));
    }

    [Fact]
    public void Only_the_very_token_validated_is_recalled()
    {
        var tokens = Tokens();
        tokens.Remember("token-a", _alice, _time.GetUtcNow().AddMinutes(1));

        Assert.Null(tokens.Recall("token-A"));
        Assert.Null(tokens.Recall("token-a "));
    }

    [Fact]
    public void No_more_tokens_are_held_than_allowed()
    {
        var tokens = Tokens(maxTokens: 2);
        tokens.Remember("expiring", _alice, _time.GetUtcNow().AddSeconds(1));
        tokens.Remember("token-b", _alice, _time.GetUtcNow().AddMinutes(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        tokens.Remember("token-c", _alice, _time.GetUtcNow().AddMinutes(1));
        Assert.NotNull(tokens.Recall("token-b"));
        Assert.NotNull(tokens.Recall("token-c"));

        tokens.Remember("token-d", _alice, _time.GetUtcNow().AddMinutes(1));
        Assert.Equal(1, new[] { "token-b", "token-c", "token-d" }.Count(token => tokens.Recall(token) is not null));
    }

    private ValidatedTokens Tokens(TimeSpan? maxAge = null, int maxTokens = 100) =>
        new(Options.Create(new ValidatedTokenOptions { MaxAge = maxAge ?? TimeSpan.FromMinutes(5), MaxTokens = maxTokens }), _time);
}
